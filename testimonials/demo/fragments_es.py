"""Spanish phrase tables for the synthetic demo stories (see `testimonials.demo.texts`).

Written as a Spanish speaker in California would write, not translated line by line from
`fragments_en`: "cita de seguimiento", "referencia", "la sala de emergencias", "batallar",
"coraje", "de mi bolsillo", "fuera de la red".

Same notation as `fragments_en`: ``[primera|tercera]`` picks the patient's or the family's
wording; ``{Full}``/``{full}``, ``{Who}``/``{who}`` name the person cared for; ``{El}``/``{el}``
("él"/"ella"), ``{Lo}``/``{lo}`` ("lo"/"la") and ``{o}`` (the gender ending: "cansad{o}")
agree with that person. For a patient telling their own story ``{o}`` follows the
patient's gender, so every voice is written twice. Durations never govern a verb ("hay",
"hace", "después de", "llevo"), because "pasaron un mes" would not agree.

Every template for a wait that is still going on says "sigo esperando", "sigue esperando"
or "seguimos esperando", and no other template does: the consistency test relies on it.
"""

from __future__ import annotations


def _voice(full: str, who: str, female: bool) -> dict[str, str]:
    return {"Full": full[0].upper() + full[1:], "full": full, "Who": who[0].upper() + who[1:],
            "who": who, "El": "Ella" if female else "Él", "el": "ella" if female else "él",
            "Lo": "La" if female else "Lo", "lo": "la" if female else "lo",
            "o": "a" if female else "o"}


def _self(female: bool) -> dict[str, str]:
    # First person: the third-person keys are never reached, but keep them harmless.
    return {"Full": "Yo", "full": "yo", "Who": "Yo", "who": "yo", "El": "Yo", "el": "yo",
            "Lo": "Me", "lo": "me", "o": "a" if female else "o"}


SUBJECTS: dict[str, tuple[dict[str, str], ...]] = {
    "patient": (_self(True), _self(False)),
    "parent": (
        _voice("mi hijo", "mi hijo", False), _voice("mi hija", "mi hija", True),
        _voice("mi hijo de catorce años", "mi hijo", False),
        _voice("mi hija de dieciséis años", "mi hija", True),
        _voice("mi niño de nueve años", "mi niño", False), _voice("mi niña", "mi niña", True),
        _voice("mi hijo adolescente", "mi hijo", False),
        _voice("mi hija adolescente", "mi hija", True),
    ),
    "family": (
        _voice("mi esposo", "mi esposo", False), _voice("mi esposa", "mi esposa", True),
        _voice("mi mamá", "mi mamá", True), _voice("mi papá", "mi papá", False),
        _voice("mi hermano menor", "mi hermano", False), _voice("mi hermana", "mi hermana", True),
        _voice("mi hijo mayor", "mi hijo", False), _voice("mi suegra", "mi suegra", True),
    ),
    "family_child": (
        _voice("mi nieto", "mi nieto", False), _voice("mi nieta", "mi nieta", True),
        _voice("mi sobrino", "mi sobrino", False), _voice("mi sobrina", "mi sobrina", True),
    ),
}

OPENINGS = (
    ("[Llevaba meses con ansiedad antes de animarme a pedir ayuda.|{Full} llevaba meses con "
     "ansiedad antes de que nos animáramos a pedir ayuda.]"),
    ("[Hice todo como dice el plan de salud: llamé al número de la tarjeta y pedí una cita de "
     "salud mental.|Hicimos todo como dice el plan de salud: llamamos al número de la tarjeta y "
     "pedimos una cita de salud mental para {full}.]"),
    ("[Después de mi divorcio no podía dormir ni trabajar, así que le pedí a mi doctor que me "
     "mandara a terapia.|Cuando {full} dejó de comer y de hablar con nosotros, su doctor dijo que "
     "necesitaba terapia cuanto antes.]"),
    ("[Quiero contar lo que me pasó cuando pedí atención de salud mental.|Quiero contar lo que "
     "nos pasó cuando pedimos atención de salud mental para {full}.]"),
    ("Esto no es una queja contra los terapeutas, que siempre fueron amables y se notaba que "
     "estaban sobrecargados. Es sobre la espera."),
    ("[El año pasado por fin acepté que necesitaba ayuda con la depresión.|El año pasado a {full} "
     "le diagnosticaron depresión.]"),
    ("[Trabajo tiempo completo y sé cómo moverme en estos sistemas, y aun así no pude conseguir "
     "atención.|Trabajo tiempo completo y sé cómo moverme en estos sistemas, y aun así no pude "
     "conseguir atención para {full}.]"),
    ("[Los ataques de pánico me empezaron en el trabajo y llegaron a tal punto que ya no podía "
     "manejar.|A {full} le empezaron unos ataques de pánico que no {lo} dejaban salir de la "
     "casa.]"),
    "[Me dijeron|Nos dijeron] que la salud mental estaba cubierta. Y sí, en el papel.",
    ("Todo el mundo dice que hay que pedir ayuda. [Yo la pedí|Nosotros la pedimos], y esto fue "
     "lo que pasó."),
    ("[Tengo el mismo plan de salud desde hace más de diez años y casi no lo usaba, hasta que la "
     "ansiedad se me salió de control.|Tenemos el mismo plan de salud desde hace años y casi no "
     "lo usábamos, hasta que {full} necesitó ayuda.]"),
    "[Mi historia|Nuestra historia] seguramente se parece a muchas de las que están aquí.",
    "Después de una muerte en la familia, [me derrumbé|{full} se derrumbó].",
    "[Me costó|Nos costó] mucho pedir ayuda, y conseguirla costó mucho más.",
    ("Nunca [pensé|pensamos] que una cita de terapia iba a ser más difícil de conseguir que una "
     "cirugía."),
    ("[Mi doctora de cabecera dijo que necesitaba ver a alguien de salud mental lo antes posible."
     "|Su doctora dijo que {full} necesitaba ver a alguien de salud mental lo antes posible.]"),
    ("[Empecé a buscar terapia porque la depresión regresó después de años de estar bien.|{Full} "
     "llevaba años estable hasta que regresó la depresión.]"),
    ("[Cuento mi experiencia por si a alguien le sirve para sentirse menos sol{o}.|Cuento nuestra "
     "experiencia por si a otra familia le sirve para sentirse menos sola.]"),
    ("[Escribo esto porque no quiero que nadie más pase por lo mismo.|Escribo esto porque no "
     "quiero que otra familia pase por lo que pasamos nosotros.]"),
    ("[Por fin estaba list{o} para hablar con alguien de mi ansiedad y de lo que estaba tomando."
     "|{Full} por fin estaba list{o} para hablar con alguien, y eso ya era un gran paso.]"),
    "Durante mucho tiempo [me dije|nos dijimos] que era puro estrés.",
    ("[Pedir ayuda fue lo más difícil que he hecho.|Convencer a {full} de pedir ayuda fue "
     "difícil.] Conseguirla fue peor."),
    ("[Tengo dos trabajos y dos hijos, y seguí adelante hasta que ya no pude más.|{Full} siguió "
     "adelante, haciendo como que todo estaba bien, hasta que ya no pudo más.]"),
    ("[Siempre pensé que con seguro médico iba a poder ver a un terapeuta cuando lo necesitara."
     "|Siempre pensamos que con seguro médico {full} iba a poder ver a un terapeuta cuando lo "
     "necesitara.]"),
    ("[Una amiga me convenció de pedir cita en salud mental.|Una amiga de la familia fue la "
     "primera en decirnos que {full} necesitaba ayuda.]"),
    ("Cuando por fin [pedí|pedimos] ayuda, [pensé|pensamos] que lo difícil ya había pasado. "
     "[Me equivoqué.|Nos equivocamos.]"),
)

# Antes de una apertura que no nombra a quien necesitaba la atención (voces de familia),
# para que "él" o "mi hija" más adelante se refieran a alguien.
INTRODUCTIONS = (
    "Esto es sobre {full}.",
    "Escribo por {full}.",
    "Cuento esto de parte de {full}.",
    "{Full} es quien necesitaba ayuda.",
)

OPENINGS_CITY = (
    ("[Me atiendo en la clínica de {city}|A {full} {lo} atienden en la clínica de {city}], y así "
     "fue tratar de conseguir atención de salud mental ahí."),
    ("[Pedí un terapeuta en mi clínica de {city} y así aprendí|Pedimos un terapeuta para {full} "
     "en nuestra clínica de {city} y así aprendimos] lo que de verdad significa una lista de "
     "espera."),
    ("Al departamento de salud mental de {city} fue adonde [me mandaron|mandaron a {full}] cuando "
     "[pedí|pedimos] ayuda."),
    ("[Vivo|Vivimos] cerca de {city}, y ahí se suponía que [iba a recibir mi tratamiento|{full} "
     "iba a recibir su tratamiento]."),
    "En la clínica de {city} todos fueron amables. Ese nunca fue el problema.",
    ("[Mi doctora en {city}|La doctora de {full} en {city}] mandó una referencia urgente a salud "
     "mental."),
    ("Esto es sobre la clínica de salud mental de {city} y sobre lo que pasa cuando no hay "
     "suficientes terapeutas."),
    ("[Llevo|Llevamos] años [atendiéndome|atendiéndonos] en {city} para todo lo demás. Con la "
     "salud mental fue diferente."),
    ("Cuando llamé a la clínica de {city} para pedir terapia[| para {full}], lo primero que me "
     "dijeron fue lo larga que estaba la lista."),
    ("En {city} [aprendí|aprendimos] que tener seguro y recibir atención son dos cosas muy "
     "distintas."),
    "[Confiaba|Confiábamos] en la clínica de {city}. No [tenía|teníamos] por qué no confiar.",
    "[Me mandaron|Mandaron a {full}] a salud mental en {city}, y ahí empezó la espera.",
)

CARE: dict[int, tuple[str, ...]] = {
    1: (
        ("Lo que [necesitaba|{who} necesitaba] era sencillo: un terapeuta, una vez por semana, "
         "siempre la misma persona."),
        "[Pedí|Pedimos] terapia individual, nada fuera de lo común.",
        "Se suponía que [iba a tener|{who} iba a tener] terapia individual con regularidad.",
        "El plan era terapia individual con un terapeuta fijo.",
    ),
    2: (
        ("También [me metieron|metieron a {who}] en terapia de grupo mientras llegaban las "
         "sesiones individuales."),
        "Como no había nadie para terapia individual, [me mandaron|{lo} mandaron] a un grupo.",
        "Lo único que ofrecían rápido era un grupo.",
    ),
    4: (
        "[También necesitaba|{Who} también necesitaba] ver a un psiquiatra por el medicamento.",
        ("[Mi doctora dijo que me tenía que evaluar un psiquiatra para ver lo del medicamento."
         "|Su doctora dijo que {lo} tenía que evaluar un psiquiatra para ver lo del medicamento.]"),
        ("[Ya había tomado medicamento antes y necesitaba que un psiquiatra me ajustara la dosis."
         "|{Who} ya había tomado medicamento antes y necesitaba que un psiquiatra le ajustara la "
         "dosis.]"),
    ),
    8: (
        "[Pedí|Pedimos] una cita urgente porque las cosas se estaban poniendo muy mal.",
        "Se suponía que era urgente: [yo|{who}] apenas podía con el día a día.",
        ("[Les dije|Les dijimos] que era urgente. [No dormía y no podía funcionar.|{El} no "
         "dormía y no podía funcionar.]"),
    ),
    16: (
        ("[Yo estaba en la prepa cuando pasó todo esto.|{Who} va a la escuela, y se estaba "
         "atrasando muy rápido.]"),
        ("[Era adolescente cuando pedí ayuda por primera vez.|Siendo menor de edad, {who} "
         "necesitaba ayuda pronto.]"),
        "[Mi pediatra me mandó|Su pediatra nos mandó] al departamento de niños y adolescentes.",
    ),
    32: (
        "Por mucho tiempo, la evaluación inicial fue la única cita que [tuve|{who} tuvo].",
        ("[Lo único que me dieron|Lo único que le dieron a {who}], por mucho tiempo, fue la "
         "primera cita de evaluación."),
    ),
}

WAITS: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): (
        "[Esperé|Esperamos] {dur} para la primera cita, la de evaluación.",
        "Conseguir la evaluación inicial tomó {dur}.",
        "[Me dieron la primera cita|A {who} le dieron la primera cita] después de {dur}.",
        "Fue hasta después de {dur} que [tuve|{who} tuvo] la evaluación inicial.",
        ("La primera cita, nada más para [evaluarme|evaluar{lo}], llegó {dur} después de que "
         "[llamé|llamamos]."),
    ),
    ("intake", "waiting"): (
        ("[Llevo {dur} pidiendo una cita de evaluación y sigo esperando.|{Who} lleva {dur} en la "
         "lista para una cita de evaluación y sigue esperando.]"),
        "Hace {dur} que [pedí|pedimos] la primera cita, y [sigo esperando|seguimos esperando].",
        ("Después de {dur}, [sigo esperando que me den|{who} sigue esperando que le den] la "
         "primera cita."),
        ("[Llevo {dur} sin que me den la evaluación inicial, y sigo esperando.|Llevamos {dur} sin "
         "que le den la evaluación inicial a {who}, y seguimos esperando.]"),
    ),
    ("intake", "gave_up"): (
        ("Después de {dur} esperando la evaluación inicial, [me di por vencid{o}|nos dimos por "
         "vencidos]."),
        ("[Esperé|Esperamos] {dur} una primera cita que nunca llegó, y [dejé|dejamos] de "
         "intentar."),
        "[Dejé|Dejamos] de insistir con la evaluación después de {dur}.",
    ),
    ("first_return", "ended"): (
        "Después de la evaluación, la primera cita de seguimiento llegó {dur} después.",
        ("[Esperé|{Who} esperó] {dur} para la primera cita de seguimiento después de la "
         "evaluación."),
        "La primera sesión de terapia de verdad, después de la evaluación, fue {dur} más tarde.",
        "Entre la evaluación y la primera cita de seguimiento hubo {dur} de espera.",
        ("La evaluación sí se hizo, pero luego [tuve|{who} tuvo] que esperar {dur} para la cita "
         "de seguimiento."),
    ),
    ("first_return", "waiting"): (
        ("Hace {dur} que fue la evaluación, y [sigo esperando|{who} sigue esperando] una cita de "
         "seguimiento."),
        ("[Sigo esperando|{Who} sigue esperando] la primera cita de seguimiento, {dur} después "
         "de la evaluación."),
        ("Ya [llevo|llevamos] {dur} desde la evaluación y [sigo esperando|seguimos esperando] la "
         "primera cita de seguimiento."),
        ("Después de la evaluación [me dijeron que me|nos dijeron que nos] iban a llamar. Eso fue "
         "hace {dur}, y [sigo esperando|seguimos esperando]."),
    ),
    ("first_return", "gave_up"): (
        "Después de {dur} sin cita de seguimiento, [dejé|dejamos] de llamar.",
        ("[Esperé|Esperamos] {dur} una cita de seguimiento después de la evaluación y luego [me di "
         "por vencid{o}|nos dimos por vencidos]."),
    ),
    ("between_returns", "ended"): (
        "Ahora entre una sesión y otra hay {dur}.",
        "Normalmente hay {dur} entre cita y cita.",
        "Después de eso, [mis|sus] citas quedaban a {dur} una de otra, y eso no es terapia.",
        "Cada sesión va seguida de {dur} sin nada.",
        "Las sesiones [me las daban|se las daban] con {dur} de diferencia.",
    ),
    ("between_returns", "waiting"): (
        ("Hace {dur} que fue [mi|su] última sesión y [sigo esperando|{who} sigue esperando] la "
         "siguiente."),
        "[Mi|Su] última sesión fue hace {dur}, y [sigo esperando|seguimos esperando] otra.",
        "[Sigo esperando|{Who} sigue esperando] la próxima sesión, {dur} después de la última.",
    ),
    ("between_returns", "gave_up"): (
        ("Con {dur} entre una sesión y otra, al final [dejé|dejamos] de intentar seguir con la "
         "terapia."),
        "Después de esperar {dur} entre sesiones, [me di por vencid{o}|nos dimos por vencidos].",
    ),
    ("psychiatry", "ended"): (
        "Ver a un psiquiatra por el medicamento tomó {dur}.",
        "La primera cita de psiquiatría llegó después de {dur}.",
        "[Esperé|{Who} esperó] {dur} para ver a un psiquiatra.",
        "Por fin [vi|{who} vio] a un psiquiatra después de {dur}, en una cita de veinte minutos.",
        "La cita para el medicamento [me la dieron|se la dieron] para dentro de {dur}.",
    ),
    ("psychiatry", "waiting"): (
        ("[Llevo {dur} pidiendo una cita de psiquiatría y sigo esperando.|{Who} lleva {dur} "
         "pidiendo una cita de psiquiatría y sigue esperando.]"),
        ("[Sigo esperando|{Who} sigue esperando] ver a un psiquiatra, {dur} después de la "
         "referencia."),
        ("Después de {dur}, [sigo esperando|seguimos esperando] que alguien revise [mi|su] "
         "medicamento."),
    ),
    ("psychiatry", "gave_up"): (
        "Después de {dur} esperando al psiquiatra, [me di por vencid{o}|nos dimos por vencidos].",
        "[Dejé|Dejamos] de insistir con psiquiatría después de {dur}.",
    ),
    ("intake", "never_offered"): (
        "[Pedí|Pedimos] la primera cita hace {dur} y nunca nos ofrecieron una.",
        "En {dur} de llamadas, nadie [me|le] ofreció una cita de evaluación.",
    ),
    ("first_return", "never_offered"): (
        "Después de la evaluación pasaron {dur} y nunca ofrecieron una cita de seguimiento.",
    ),
    ("between_returns", "never_offered"): (
        "Durante {dur} después de eso, nunca ofrecieron otra sesión.",
    ),
    ("psychiatry", "never_offered"): (
        "[Pedí|Pedimos] un psiquiatra hace {dur} y nunca ofrecieron una cita.",
    ),
}

WAITS_NODUR: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): (
        ("Al final sí [me dieron|le dieron] la primera cita, aunque ya ni me acuerdo cuánto "
         "tardó."),
        "La evaluación inicial sí llegó, tarde.",
    ),
    ("intake", "waiting"): (
        "[Sigo esperando|{Who} sigue esperando] la primera cita de evaluación.",
        ("[Sigo esperando que alguien me llame|Seguimos esperando que alguien nos llame] para la "
         "evaluación inicial."),
    ),
    ("intake", "gave_up"): (
        "Nunca [me ofrecieron|le ofrecieron] una cita de evaluación.",
        "Nadie [me|le] ofreció una primera cita, y con el tiempo [dejé|dejamos] de pedirla.",
    ),
    ("first_return", "ended"): (
        "La cita de seguimiento sí llegó, mucho después de la evaluación.",
    ),
    ("first_return", "waiting"): (
        "[Sigo esperando|{Who} sigue esperando] una cita de seguimiento después de la evaluación.",
    ),
    ("first_return", "gave_up"): (
        "Después de la evaluación nunca [me|le] ofrecieron una cita de seguimiento.",
        "[Me di por vencid{o}|Nos dimos por vencidos] con la cita de seguimiento.",
    ),
    ("between_returns", "ended"): (
        "Las sesiones estaban tan separadas que [tenía|{who} tenía] que empezar de cero cada vez.",
    ),
    ("between_returns", "waiting"): (
        "[Sigo esperando|{Who} sigue esperando] la siguiente sesión, sin fecha a la vista.",
    ),
    ("between_returns", "gave_up"): (
        "Nunca [me|le] ofrecieron sesiones regulares, así que [dejé|dejamos] de pedirlas.",
    ),
    ("psychiatry", "ended"): (
        ("Al final sí [vi|{who} vio] a un psiquiatra, mucho más tarde de lo que [esperaba|"
         "esperábamos]."),
    ),
    ("psychiatry", "waiting"): (
        "[Sigo esperando|{Who} sigue esperando] una cita de psiquiatría.",
    ),
    ("psychiatry", "gave_up"): (
        "Nunca [me|le] ofrecieron una cita con psiquiatría.",
        "Un psiquiatra nunca fue opción.",
    ),
    ("intake", "never_offered"): (
        "Nadie [me|le] ofreció nunca una cita de evaluación.",
    ),
    ("first_return", "never_offered"): (
        "Después de la evaluación nunca ofrecieron una cita de seguimiento.",
    ),
    ("between_returns", "never_offered"): (
        "Nunca ofrecieron otra sesión.",
    ),
    ("psychiatry", "never_offered"): (
        "Nunca ofrecieron una cita con psiquiatría.",
    ),
}

RETURN_MIDDLES = (
    ("La evaluación se sintió como llenar un formulario: una hora de preguntas, la recomendación "
     "de terapia semanal, y luego nada."),
    ("[Me dijeron que necesitaba|Nos dijeron que {who} necesitaba] sesiones cada semana. La "
     "agenda decía otra cosa."),
    "Entrar por la puerta fue una cosa; conseguir una segunda cita fue otra.",
    ("Cada vez que [llamaba|llamábamos] por la cita de seguimiento, [me decían|nos decían] que la "
     "agenda estaba llena por meses."),
    ("La terapeuta de la evaluación fue muy amable y dijo que [me|{lo}] tenían que ver cada "
     "semana. Nunca pasó."),
    "Es difícil agarrarle confianza a un terapeuta que ves unas cuantas veces al año.",
    ("Cada sesión empezaba con ponerse al día, porque había pasado mucho tiempo desde la "
     "anterior."),
    "Para cuando llegaba la siguiente cita, [tenía|{who} tenía] que explicar todo otra vez.",
    ("Los terapeutas que [conocí|conocimos] estaban claramente sobrecargados; una me dijo que "
     "tenía más pacientes de los que podía atender."),
    "[Mi|Su] terapeuta se fue, y nadie supo decir[me|nos] cuándo iban a asignar a otro.",
    "Las citas por video ayudaban un poco, pero eran tan escasas como las presenciales.",
    ("La terapeuta que por fin [vi|{who} vio] era excelente. El problema es que no [pude|pudo] "
     "volver a verla en mucho tiempo."),
    "Entre cita y cita, [estaba|{who} estaba] prácticamente sol{o}.",
)

MIDDLES = (
    "[Llamaba|Llamábamos] todas las mañanas a las ocho para preguntar si había cancelaciones.",
    "Llamé casi todos los días para ver si alguien había cancelado.",
    "Cada llamada eran veinte minutos en espera para que al final me dijeran que no había nada.",
    ("[Me dijeron que mientras tanto probara|Nos dijeron que mientras tanto probáramos] la "
     "aplicación de meditación."),
    ("Alguien sugirió que [usara|{who} usara] una aplicación de autoayuda mientras tanto. Una "
     "aplicación no es un terapeuta."),
    "[Me dieron|Nos dieron] una lista de teléfonos y de clases en línea, no una cita.",
    ("La señora del teléfono fue muy comprensiva, pero me dijo que simplemente no había nadie "
     "disponible."),
    ("[Mandé|Mandamos] mensajes por la página de miembros y los contestaban días después, "
     "siempre con lo mismo."),
    "[Me ofrecieron|Le ofrecieron] una llamada de control en lugar de terapia.",
    ("[Tuve|{Who} tuvo] que contar toda la historia otra vez a una persona nueva, desde el "
     "principio."),
    "[Pedí|Pedimos] permiso en el trabajo para citas que luego cambiaron de fecha.",
    ("Una cita la cancelaron un día antes y la siguiente disponible era para dentro de varias "
     "semanas."),
    ("[Me dijeron que llamara a principios de mes, cuando abrían la agenda nueva. Llamé.|Nos "
     "dijeron que llamáramos a principios de mes, cuando abrían la agenda nueva. Llamamos.] Ya "
     "estaba llena."),
    ("Nadie [me|nos] explicó nunca qué era exactamente la lista de espera ni en qué lugar [iba "
     "yo|iba {who}]."),
    ("[Me dijeron|Nos dijeron] que si las cosas empeoraban siempre [podía|podíamos] ir a la sala "
     "de emergencias. Ese era el plan."),
    "[Aprendí|Aprendimos] qué palabras decir por teléfono para que [me|nos] tomaran en serio.",
    "Las recepcionistas se veían igual de frustradas que [yo|nosotros].",
    "Apunté cada llamada en una libreta: la fecha, quién contestó, qué me dijeron.",
    ("[Mi|Su] doctora de cabecera trató de apurar la referencia, y ni ella pudo conseguir que "
     "[me|{lo}] vieran antes."),
    ("En algún momento [me dijeron|nos dijeron] que lo mejor era esperar una llamada. La llamada "
     "nunca llegó."),
    ("[Pedí que me pusieran en la lista de cancelaciones. Nunca supe nada.|Pedimos que nos "
     "pusieran en la lista de cancelaciones. Nunca supimos nada.]"),
    "[Me|Nos] dijeron que los terapeutas estaban haciendo todo lo posible, y lo creo.",
    "Cuando [pregunté|preguntamos] por otra clínica más lejos, la espera allá era igual de larga.",
    ("[Hice|Hicimos] todas las hojas de trabajo y las clases en línea. No es lo mismo que hablar "
     "con una persona."),
    ("Nadie con quien [hablé|hablamos] dudaba que [necesitaba|{who} necesitaba] atención. "
     "Simplemente no tenían cómo darla."),
)

GROUP_MIDDLES = (
    "Las sesiones de grupo estaban tan llenas que había gente sentada en el piso.",
    ("[En el grupo éramos más de doce personas con una sola terapeuta, y casi no pude hablar.|En "
     "el grupo de {who} eran más de doce personas con una sola terapeuta, y casi no pudo hablar.]"),
    ("El grupo [me lo ofrecieron|se lo ofrecieron] en lugar de la terapia individual, no además "
     "de ella."),
    "En el grupo no había tiempo para hablar de nada personal.",
    ("El salón del grupo era muy chico para todos los que llegaban, y había gente parada contra "
     "la pared."),
)

GROUP_CHILD_MIDDLES = (
    "En [mi|su] grupo había tantos muchachos que algunos se sentaban en el piso.",
    "En el grupo había niños sentados en el piso porque no alcanzaban las sillas.",
    ("[Me acuerdo de que en mi grupo había niños sentados en el piso porque ya no había sillas."
     "|{Who} me contó que en su grupo había niños sentados en el piso porque ya no había sillas.]"),
)

PSYCH_MIDDLES = (
    ("[Se me acabó el medicamento|A {who} se le acabó el medicamento] mientras esperaba, y para "
     "surtirlo otra vez se necesitaba la aprobación del psiquiatra."),
    ("Las citas para el medicamento eran inalcanzables; [me dijeron|nos dijeron] que los "
     "psiquiatras estaban llenos por meses."),
    ("[Le pedí a mi doctora de cabecera|Le pedimos a su doctora de cabecera] que ajustara la "
     "dosis, y dijo que eso solo lo podía hacer psiquiatría."),
    ("[Seguí|{Who} siguió] con una dosis que no funcionaba porque nadie [me|{lo}] podía ver para "
     "cambiarla."),
    ("[Me dijeron|Nos dijeron] que las dudas sobre el medicamento tenían que esperar a la cita de "
     "psiquiatría, y no había citas."),
    "Ajustar una dosis debería ser algo de rutina. No lo fue.",
)

CHILD_MIDDLES = (
    "[Falté|{Who} faltó] a la escuela varios días por lo mal que estaban las cosas.",
    "[Me atrasé|{Who} se atrasó] en la escuela mientras esperaba.",
    ("La consejera de la escuela [llamó a mis papás|nos llamó] más de una vez para preguntar cuál "
     "era el plan."),
    ("[Mis papás pidieron|Pedimos] permiso en el trabajo una y otra vez por llamadas que no "
     "llevaban a nada."),
    "Para un niño o un adolescente, unos meses son muchísimo tiempo.",
    ("El departamento de niños y adolescentes tenía una lista de espera más larga que la de "
     "adultos."),
)

URGENT_MIDDLES = (
    "Ni la cita urgente fue urgente; llegó días después.",
    "[Me dijeron|Nos dijeron] que urgente quería decir en un par de días, y aun así tardó más.",
    ("[Me vieron|A {who} {lo} vieron] una vez de urgencia, y luego [me regresaron|{lo} "
     "regresaron] a la lista de espera normal."),
    "La consulta urgente fue una sola plática, y después no hubo ningún plan.",
)

OUTCOMES: dict[int, tuple[str, ...]] = {
    1: (
        ("Al final [terminé|{who} terminó] en la sala de emergencias, porque no había otro lugar "
         "adonde ir."),
        "[Acabé|{Who} acabó] en emergencias, que era justo lo que [quería|queríamos] evitar.",
        "[Pasé|Pasamos] una noche en emergencias, porque era la única puerta abierta.",
        "Emergencias fue el único lugar donde [me|{lo}] atendieron rápido.",
    ),
    2: (
        ("[Terminé pagando de mi bolsillo|Terminamos pagando de nuestro bolsillo] a una "
         "terapeuta particular."),
        ("[Pagué|Pagamos] terapia por fuera, de [mi|nuestro] bolsillo, además de lo que [pago|"
         "pagamos] cada mes por el seguro."),
        ("[Empecé a pagarle yo mism{o} a un terapeuta privado|Empezamos a pagarle nosotros "
         "mismos a un terapeuta privado], aunque la verdad no [me|nos] alcanza."),
        ("[Pagué|Pagamos] las sesiones con tarjeta de crédito porque ya no [podía|podíamos] "
         "aguantar más la espera."),
    ),
    4: (
        "Con el tiempo [dejé|{who} dejó] el tratamiento por completo.",
        "[Dejé de ir.|{Who} dejó de ir.] Ya no se sentía como un tratamiento.",
        "Con tanto tiempo entre citas, [abandoné|{who} abandonó] el tratamiento.",
        "[Por ahora dejé la terapia.|{Who} dejó la terapia, y no {lo} culpo.]",
    ),
    8: (
        "Mientras [esperaba|{who} esperaba], los síntomas empeoraron.",
        "La ansiedad [me|le] empeoraba con cada semana de espera.",
        "[Empeoré|{Who} empeoró]: menos sueño, más pánico, menos capacidad de funcionar.",
        "La depresión se hizo más profunda mientras [esperaba|{who} esperaba].",
        ("[Bajé de peso y dejé de ver a mis amigos|{Who} bajó de peso y dejó de ver a sus "
         "amigos] mientras esperaba."),
    ),
    16: (
        "Al final [me mandaron|mandaron a {who}] con un proveedor fuera de la red.",
        ("[Me dijeron que buscara por mi cuenta|Nos dijeron que buscáramos por nuestra cuenta] un "
         "terapeuta fuera de la red."),
        "[Me refirieron|{Lo} refirieron] fuera de la red, y arreglar eso también tomó semanas.",
        "La solución fue una referencia a un proveedor de afuera, con otra espera.",
    ),
}

FEELINGS = (
    "Sentí que [mi|su] dolor no contaba.",
    "Me sentí invisible.",
    ("[La verdad, la espera se volvió otra enfermedad.|La verdad, la espera se volvió otra "
     "enfermedad para toda la familia.]"),
    "Sentía que molestaba nada más por pedir la atención por la que [pago|pagamos].",
    ("[Me hicieron sentir que no estaba lo bastante enferm{o}|Nos hicieron sentir que {who} no "
     "estaba lo bastante enferm{o}] como para importar."),
    ("[Me dio vergüenza necesitar ayuda, y luego coraje por no recibirla.|Como familia nos "
     "sentimos impotentes, y después con mucho coraje.]"),
    "Cada semana de espera hacía más difícil creer que algo iba a cambiar.",
    "Más de una vez lloré en el carro después de una de esas llamadas.",
    "Uno aprende a ya no esperar nada.",
    "Es agotador pelear por atención cuando uno ya está batallando.",
    ("Pensaba que si [tuviera|{who} tuviera] una pierna rota, nadie [me|{lo}] haría esperar "
     "tanto."),
    "Sentía que el sistema estaba esperando a que [me rindiera|nos rindiéramos].",
    "Lo peor era no saber cuánto iba a tardar.",
    "[Me sentí sol{o}|Nos sentimos solos] aunque todos decían que querían ayudar.",
    "Es difícil explicar lo solo que se siente uno esperando una ayuda que no llega.",
    ("[Verme caer sin poder hacer nada|Ver a {who} sufrir sin poder hacer nada] fue lo más "
     "difícil."),
)

CLOSINGS = (
    "Comparto esto para que la próxima persona no tenga que esperar tanto.",
    "La atención de salud mental que llega meses tarde no es atención.",
    "Por favor, contraten más terapeutas.",
    "Los terapeutas no son el problema. Simplemente no hay suficientes.",
    "Ojalá lo lea alguien que pueda cambiar esto.",
    "[Pago|Pagamos] el seguro cada mes. [Merezco|Merecemos] atención a tiempo.",
    "Apoyo a los terapeutas que alzaron la voz por estas esperas.",
    "Algo tiene que cambiar.",
    ("[Si tú también estás esperando, no estás sol{o}.|Si tu familia también está esperando, no "
     "están solos.]"),
    "En California la ley exige citas a tiempo. Debería ser la realidad.",
    "Nadie debería tener que pelear tanto para ver a un terapeuta.",
    "Si te pasa esto, pon una queja; [yo lo hice|nosotros lo hicimos].",
    "Contar los días no debería ser parte de recuperarse.",
    "Solo [quiero|queremos] la atención que [me|le] prometieron.",
    "Gracias por leer.",
    "Apunten cada llamada y cada fecha. Sirve.",
    "No somos solo números en una lista de espera.",
    "Espero que contar esto sirva de algo.",
)

CRISIS = (
    ("[Hubo noches en que pensé en quitarme la vida.|Hubo noches en que {who} hablaba de "
     "quitarse la vida, y teníamos mucho miedo.]"),
    ("[En el peor momento tenía pensamientos de suicidio, y aun así tuve que esperar.|En el peor "
     "momento {who} nos dijo que tenía pensamientos de suicidio, y aun así tuvimos que esperar.]"),
    ("[Algunas noches pensé en quitarme la vida.|Algunas noches {who} nos dijo que pensaba en "
     "quitarse la vida.]"),
)

PERSONAL: dict[str, tuple[str, ...]] = {
    "name": (
        "[Mi|Su] terapeuta, la Dra. {name}, hizo lo que pudo, pero la agenda estaba llena.",
        "La única que [me|nos] ayudó fue la Dra. {name}, y luego se fue.",
    ),
    "phone": (
        "Si alguien quiere hablar conmigo de esto, me puede llamar al {phone}.",
        "Mi celular es el {phone}, por si algún periodista quiere saber más.",
    ),
    "email": (
        "Me pueden escribir a {email}.",
        "Si alguien está pasando por lo mismo, escríbame a {email}.",
    ),
    "pname": (
        "Me llamo {pname}, y no me da pena decirlo.",
        "Hablé tres veces con {pname}, del departamento de citas.",
    ),
}

TITLES_WAIT: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): ("{Dur} para la primera cita", "Una evaluación después de {dur}",
                          "{Dur} nada más para una evaluación"),
    ("intake", "waiting"): (("[Sigo esperando|Seguimos esperando] la primera cita después de "
                            "{dur}"), "{Dur} y todavía sin evaluación"),
    ("intake", "gave_up"): ("[Me rendí|Nos rendimos] después de {dur} sin evaluación",),
    ("first_return", "ended"): ("{Dur} para una cita de seguimiento",
                                "Evaluación, y luego {dur} sin nada",
                                "La cita de seguimiento llegó {dur} después",
                                ("[{Dur} para un seguimiento|{Who} esperó {dur} para un "
                                 "seguimiento]")),
    ("first_return", "waiting"): (("[Sigo esperando|Seguimos esperando] el seguimiento después de "
                                  "{dur}"), "{Dur} desde la evaluación, y contando"),
    ("first_return", "gave_up"): ("Sin seguimiento después de {dur}",),
    ("between_returns", "ended"): ("{Dur} entre sesiones", "Terapia con {dur} entre cita y cita"),
    ("between_returns", "waiting"): (("[{Dur} desde mi última sesión|{Dur} desde su última "
                                     "sesión]"),),
    ("between_returns", "gave_up"): ("[Me rendí|Nos rendimos] con {dur} entre sesiones",),
    ("psychiatry", "ended"): ("{Dur} para ver a un psiquiatra", "Un psiquiatra después de {dur}",
                              ("[{Dur} para la cita del medicamento|{Who} esperó {dur} para ver "
                               "a un psiquiatra]")),
    ("psychiatry", "waiting"): (("[Sigo esperando|Seguimos esperando] al psiquiatra después de "
                                "{dur}"),),
    ("psychiatry", "gave_up"): ("Sin psiquiatra después de {dur}",),
    ("intake", "never_offered"): ("{Dur} sin que ofrecieran una evaluación",),
    ("first_return", "never_offered"): ("{Dur} y ningún seguimiento ofrecido",),
    ("between_returns", "never_offered"): ("Ninguna sesión ofrecida en {dur}",),
    ("psychiatry", "never_offered"): ("{Dur} y ningún psiquiatra ofrecido",),
}

TITLES_OUTCOME: dict[int, tuple[str, ...]] = {
    1: ("Terminó en emergencias", "Emergencias fue la única puerta abierta"),
    2: ("[Terminé pagando de mi bolsillo|Terminamos pagando de nuestro bolsillo]",
        "Pagar dos veces por la terapia"),
    4: ("[Dejé el tratamiento|{Who} dejó el tratamiento]",
        "Tanto tiempo entre citas que ya no se puede seguir"),
    8: ("Peor con la espera", ("[Empeoré en la lista de espera|{Who} empeoró en la lista de "
                               "espera]")),
    16: ("[Me mandaron fuera de la red|{Lo} mandaron fuera de la red]",
         "Fuera de la red, y a esperar otra vez"),
}

TITLES_CITY = ("Esperando en {city}", "La lista de espera en {city}",
               "Salud mental en {city}: a esperar", "Lo que pasó en {city}")

TITLES = (
    "Meses de espera", "Nadie [me|nos] regresó la llamada", "No hay suficientes terapeutas",
    "Atención solo en el papel", "La lista de espera", "Pedir ayuda, y esperar",
    "No debería tardar tanto", "Llame el próximo mes",
    "[Lo que me costó la espera|Lo que le costó la espera a mi familia]", "En espera",
    "Esperar no es tratamiento", "Por favor, contraten más terapeutas", "La espera más larga",
    "[Mi historia|Nuestra historia]", "Ayuda, algún día",
)


_NUM = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
        "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho",
        "diecinueve", "veinte")


def durations(days: int) -> tuple[str, ...]:
    """Natural ways to say `days` ("casi tres meses", "once semanas"), all accurate."""
    n = _NUM
    d = days
    if d <= 0:
        return ("menos de un día",)
    if d == 1:
        return ("un día", "un solo día")
    if d < 7:
        return (f"{n[d]} días",)
    if d == 7:
        return ("una semana", "siete días")
    if d < 14:
        out = [f"{n[d]} días", "más de una semana" if d <= 10 else "casi dos semanas"]
        if d in (10, 11):
            out.append("semana y media")
        return tuple(out)
    if d < 63:
        q, r = divmod(d, 7)
        out = [f"{n[d]} días"] if d <= 20 else []
        if r == 0:
            out.append(f"{n[q]} semanas")
        elif r <= 2:
            out += [f"poco más de {n[q]} semanas", f"un poco más de {n[q]} semanas"]
        elif r >= 5:
            out.append(f"casi {n[q + 1]} semanas")
        else:
            out.append(f"{n[q]} semanas y media")
        if 28 <= d <= 33:
            out += ["un mes", "como un mes"]
        elif 34 <= d <= 42:
            out.append("más de un mes")
        elif 43 <= d <= 50:
            out.append("mes y medio")
        elif d >= 55:
            out.append("casi dos meses")
        return tuple(out)
    if d < 365:
        months = d / 30.44
        whole = int(months)
        frac = months - whole
        out = [f"{n[d // 7]} semanas"] if d <= 140 and d % 7 == 0 else []
        if frac < 0.15:
            out += [f"{n[whole]} meses", f"unos {n[whole]} meses"]
        elif frac < 0.4:
            out += [f"más de {n[whole]} meses", f"poco más de {n[whole]} meses"]
        elif frac < 0.65:
            out.append(f"{n[whole]} meses y medio")
        else:
            out.append("casi un año" if whole == 11 else f"casi {n[whole + 1]} meses")
        return tuple(out)
    if d < 380:
        return ("un año", "como un año")
    if d < 500:
        return ("más de un año", "poco más de un año", f"unos {n[round(d / 30.44)]} meses")
    if d < 590:
        return ("un año y medio", "como año y medio")
    if d < 700:
        return ("casi dos años", "más de año y medio")
    if d <= 730:
        return ("dos años", "como dos años")
    return ("más de dos años",)

# Personas inventadas, solo para `personal_data=True` ("la Dra. ...").
THERAPISTS = ("Angélica Reyes", "Rosa Delgado", "Sofía Ramírez", "Patricia Morales",
              "Carmen Ortiz", "Lucía Herrera", "Verónica Castillo", "Gabriela Navarro")
PEOPLE = ("María López", "José Hernández", "Guadalupe Sánchez", "Juan Carlos Flores",
          "Ana Gutiérrez", "Luis Rivera", "Marisol Vargas", "Jorge Medina", "Elena Torres",
          "Francisco Aguilar", "Alejandra Ruiz", "Miguel Ángel Castro")
