"""English phrase tables for the synthetic demo stories (see `testimonials.demo.texts`).

Pure data. The templates use a small notation that `texts` resolves once, at import time,
for every narrator ("voice"), so nothing is parsed when a story is generated:

- ``[first|third]``: the text before the bar when the patient tells the story, the text
  after it when a parent or family member does (no nesting, no brackets otherwise);
- ``{Full}`` / ``{full}``: the person cared for, first mention ("My fifteen-year-old
  daughter"); ``{Who}`` / ``{who}``: later mentions ("my daughter"); ``{He}``, ``{he}``,
  ``{him}``, ``{His}``, ``{his}``: pronouns;
- ``{city}`` (openings and city titles only), ``{dur}`` / ``{Dur}`` (waits and wait titles
  only; a duration such as "almost three months"), and in `PERSONAL` one of ``{name}``,
  ``{phone}``, ``{email}``, ``{pname}``.

Content rules the tests enforce: no crisis or self-harm words outside `CRISIS`, no digits,
e-mail addresses or names outside `PERSONAL`, and the words "still waiting" only in the
templates for a wait that is still going on (the consistency test relies on it).
"""

from __future__ import annotations

# Who the story is about. "the narrator is always I": for parent and family voices the
# first person is the writer, the third person the one who needed care.
_P = {"Full": "I", "full": "I", "Who": "I", "who": "I", "He": "I", "he": "I",
      "him": "me", "His": "My", "his": "my"}


def _third(full: str, who: str, female: bool) -> dict[str, str]:
    he, him, his = ("she", "her", "her") if female else ("he", "him", "his")
    return {"Full": full[0].upper() + full[1:], "full": full, "Who": who[0].upper() + who[1:],
            "who": who, "He": he.capitalize(), "he": he, "him": him, "His": his.capitalize(),
            "his": his}


SUBJECTS: dict[str, tuple[dict[str, str], ...]] = {
    "patient": (_P,),
    "parent": (
        _third("my son", "my son", False), _third("my daughter", "my daughter", True),
        _third("my teenage son", "my son", False),
        _third("my teenage daughter", "my daughter", True),
        _third("my nine-year-old son", "my son", False),
        _third("my twelve-year-old daughter", "my daughter", True),
        _third("my fifteen-year-old daughter", "my daughter", True),
        _third("my sixteen-year-old son", "my son", False),
    ),
    "family": (
        _third("my husband", "my husband", False), _third("my wife", "my wife", True),
        _third("my mother", "my mom", True), _third("my father", "my dad", False),
        _third("my younger brother", "my brother", False), _third("my sister", "my sister", True),
        _third("my adult son", "my son", False), _third("my grown daughter", "my daughter", True),
        _third("my elderly mother", "my mother", True),
    ),
    # A family member writing about a child (child and adolescent care).
    "family_child": (
        _third("my grandson", "my grandson", False),
        _third("my granddaughter", "my granddaughter", True),
        _third("my nephew", "my nephew", False), _third("my niece", "my niece", True),
        _third("my little brother", "my brother", False),
    ),
}

OPENINGS = (
    "[I|{Full}] had been struggling with anxiety for months before [I|we] finally asked for help.",
    ("[I|We] did everything the way the health plan says to: [I|we] called the number on the card "
     "and asked for a mental health appointment[.| for {full}.]"),
    ("[After my divorce I could not sleep or work, so I asked my doctor for a referral to therapy."
     "|When {full} stopped eating and stopped talking to us, {his} doctor said {he} needed therapy "
     "right away.]"),
    ("[I want to share what happened when I asked for mental health care.|I want to share what "
     "happened when we asked for mental health care for {full}.]"),
    ("This is not a complaint about the therapists, who were kind and clearly overwhelmed. It is "
     "about the wait."),
    ("[Last year I finally admitted I needed help with depression.|Last year {full} was diagnosed "
     "with depression.]"),
    ("[I work full time and I know how to get through a phone tree, and I still could not get "
     "care.|I work full time and I know how to get through a phone tree, and I still could not "
     "get care for {full}.]"),
    ("[My panic attacks started at work and got so bad that I could not drive.|{Full} started "
     "having panic attacks that left {him} unable to leave the house.]"),
    "[I was|We were] told mental health care was covered. It was, on paper.",
    "Everyone says to reach out and ask for help. [I|We] did, and this is what happened.",
    ("[I have had the same health plan for over ten years and never needed much from it until my "
     "anxiety got out of control.|We have had the same health plan for years and never needed "
     "much from it until {full} needed help.]"),
    "[My|Our] story is probably like a lot of others here.",
    "After a death in the family, [I|{full}] fell apart.",
    "It took [me|us] a long time to ask for help, and then it took even longer to get it.",
    "[I|We] never thought a therapy appointment would be harder to get than surgery.",
    ("[My primary care doctor said I needed to see someone in mental health as soon as possible."
     "|{His} doctor said {full} needed to see someone in mental health as soon as possible.]"),
    ("[I went looking for therapy because my depression came back after years of being stable."
     "|{Full} had been stable for years until the depression came back.]"),
    ("[Here is my experience, in case it helps someone else feel less alone.|Here is our "
     "experience, in case it helps another family feel less alone.]"),
    ("[I am writing this because I do not want anyone else to go through the same thing.|I am "
     "writing this because I do not want another family to go through what we went through.]"),
    ("[I was finally ready to talk to someone about my drinking and my anxiety.|{Full} was "
     "finally ready to talk to someone, which was a big step for {him}.]"),
    "For a long time [I told myself|we told ourselves] it was just stress.",
    ("[Asking for help was the hardest thing I have ever done.|Convincing {full} to ask for help "
     "was hard.] Getting it was harder."),
    ("[I have two jobs and two kids, and I kept going until I could not anymore.|{Full} kept "
     "going and pretending everything was fine until {he} could not anymore.]"),
    ("[I always thought that having insurance meant I could see a therapist when I needed one."
     "|We always thought that having insurance meant {full} could see a therapist when {he} "
     "needed one.]"),
    ("[A close friend convinced me to ask for a mental health appointment.|A family friend was the "
     "first to tell us that {full} needed help.]"),
    ("When [I|we] finally asked for help, [I|we] thought the hard part was over. [I was|We "
     "were] wrong."),
)

# Put before an opening that does not name the person cared for (parent and family voices),
# so that "he" or "my daughter" later in the story has someone to refer to.
INTRODUCTIONS = (
    "This is about {full}.",
    "I am writing about {full}.",
    "I am telling this on behalf of {full}.",
    "{Full} is the one who needed help.",
)

OPENINGS_CITY = (
    ("[I|We] go to the clinic in {city}, and this is what getting mental health care there "
     "looked like[.| for {full}.]"),
    ("[I asked for a therapist at my clinic in {city}|We asked for a therapist for {full} at our "
     "clinic in {city}] and learned what a waiting list really means."),
    ("The mental health department in {city} is where [I was|{full} was] sent when [I|we] "
     "asked for help."),
    ("[I|We] live near {city}, and that is where [my|{his}] mental health care was supposed to "
     "happen."),
    "Everyone at the {city} clinic was polite. That was never the problem.",
    ("[My primary care doctor in {city} put in an urgent referral to mental health.|{His} doctor "
     "in {city} put in a referral to mental health and marked it urgent.]"),
    ("This is about the mental health clinic in {city}, and about what happens when there are not "
     "enough therapists."),
    ("[I have|We have] gone to the {city} location for years for everything else. Mental health "
     "was different."),
    ("When I called the {city} clinic to ask for therapy[| for {full}], the first thing I heard "
     "was how long the list was."),
    "In {city}, [I|we] learned that being a member and getting care are two different things.",
    "[I|We] trusted the clinic in {city}. [I|We] had no reason not to.",
    "[I was|{Full} was] referred to mental health in {city}, and that is where the waiting began.",
)

# One sentence about the kind of care, keyed by the `vocab.CareType` bit.
CARE: dict[int, tuple[str, ...]] = {
    1: (
        "What [I|{he}] needed was simple: a therapist, once a week, the same person every time.",
        "[I|We] asked for individual therapy, nothing special.",
        "[I was|{He} was] supposed to get regular one-on-one therapy.",
        "The plan was individual therapy with a regular therapist.",
    ),
    2: (
        "[I was|{He} was] also put in group therapy while waiting for individual sessions.",
        ("Because there was no one available for individual therapy, they put [me|{him}] in a "
         "group."),
        "The only thing offered quickly was a group.",
    ),
    4: (
        "[I|{He}] also needed to see a psychiatrist about medication.",
        "[My|{His}] doctor said [I|{he}] should be evaluated for medication by a psychiatrist.",
        "[I|{He}] had been on medication before and needed a psychiatrist to adjust it.",
    ),
    8: (
        "[I|We] asked for an urgent appointment because things were getting really bad.",
        "This was supposed to be urgent; [I|{he}] could barely get through the day.",
        "[I|We] told them it was urgent. [I was|{He} was] not sleeping and could not function.",
    ),
    16: (
        ("[I was in high school when all of this happened.|{Who} is still in school, and {he} was "
         "falling behind fast.]"),
        ("[I was a teenager when I first asked for help.|{Who} was just a kid, and {he} needed "
         "help soon.]"),
        ("[My pediatrician sent me|{His} pediatrician sent us] to the child and adolescent "
         "department."),
    ),
    32: (
        "For a long time the intake was the only appointment [I|{he}] had.",
        "[All I got|All {he} got], for a long time, was the intake appointment.",
    ),
}

# Wait sentences keyed by (vocab.WaitKind value, vocab.WaitState value); each has one {dur}.
WAITS: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): (
        "[I|We] waited {dur} for the first appointment, the intake.",
        "The intake appointment took {dur} to get.",
        "Getting the intake took {dur}.",
        "[I|{He}] got an intake appointment after {dur}.",
        "It was {dur} before [I|{he}] had the intake.",
        "The first appointment, just to assess [me|{him}], came {dur} after [I|we] called.",
    ),
    ("intake", "waiting"): (
        ("[I have been waiting {dur} for an intake appointment, and I am still waiting.|{He} has "
         "been on the list {dur} for an intake appointment and is still waiting.]"),
        ("It has been {dur} since [I|we] asked, and [I am|{he} is] still waiting for the first "
         "appointment."),
        "[I am|We are] still waiting for an intake, {dur} after I first called.",
        "After {dur}, [I am|{he} is] still waiting just to be assessed.",
    ),
    ("intake", "gave_up"): (
        "After {dur} of waiting for an intake, [I|we] gave up.",
        "[I|We] waited {dur} for an intake that never came, then stopped trying.",
        "[I|We] gave up on the intake after {dur}.",
    ),
    ("first_return", "ended"): (
        "After the intake, the first return appointment came {dur} later.",
        "[I|{He}] waited {dur} for the first follow-up appointment after the intake.",
        "The first real therapy session, after the intake, was {dur} away.",
        "Between the intake and the first follow-up there was a gap of {dur}.",
        "The intake happened, but then [I|{he}] waited {dur} for the first return appointment.",
    ),
    ("first_return", "waiting"): (
        ("It has been {dur} since the intake, and [I am|{he} is] still waiting for a return "
         "appointment."),
        "[I am|{He} is] still waiting for a follow-up appointment, {dur} after the intake.",
        ("So far it has been {dur} since the intake. [I am|{He} is] still waiting for the first "
         "follow-up."),
        ("After the intake [I was|we were] told someone would call. That was {dur} ago, and "
         "[I am|we are] still waiting."),
    ),
    ("first_return", "gave_up"): (
        "After {dur} with no return appointment, [I|we] stopped calling.",
        "[I|We] waited {dur} for a follow-up after the intake and then gave up.",
    ),
    ("between_returns", "ended"): (
        "Now the sessions are {dur} apart.",
        "The usual gap between appointments is {dur}.",
        "Each session is followed by a gap of {dur} before the next one.",
        "After that, [my|{his}] appointments were {dur} apart, which is not therapy.",
        "There is a gap of {dur} between one session and the next.",
    ),
    ("between_returns", "waiting"): (
        ("It has been {dur} since [my|{his}] last session and [I am|{he} is] still waiting for "
         "the next one."),
        "[My|{His}] last session was {dur} ago, and [I am|we are] still waiting for another.",
        "[I am|{He} is] still waiting for the next session, {dur} after the last one.",
    ),
    ("between_returns", "gave_up"): (
        "After a gap of {dur} between sessions, [I|we] stopped trying to keep up.",
        "With {dur} between sessions, [I|we] eventually gave up on regular therapy.",
    ),
    ("psychiatry", "ended"): (
        "Seeing a psychiatrist about medication took {dur}.",
        "The first psychiatry appointment came after {dur}.",
        "[I|{He}] waited {dur} to see a psychiatrist.",
        "[I|{He}] finally saw a psychiatrist after {dur}, for a twenty-minute appointment.",
        "The medication appointment was {dur} out.",
    ),
    ("psychiatry", "waiting"): (
        ("[I have|{He} has] been asking for a psychiatry appointment for {dur} and [I am|{he} "
         "is] still waiting."),
        "[I am|{He} is] still waiting to see a psychiatrist, {dur} after the referral.",
        "After {dur}, [I am|we are] still waiting for someone to look at [my|{his}] medication.",
    ),
    ("psychiatry", "gave_up"): (
        "After {dur} of waiting to see a psychiatrist, [I|we] gave up.",
        "[I|We] gave up on psychiatry after {dur}.",
    ),
    ("intake", "never_offered"): (
        "[I|We] asked for an intake {dur} ago, and no appointment was ever offered.",
        "In {dur} of calling, nobody offered [me|{him}] an intake appointment.",
    ),
    ("first_return", "never_offered"): (
        "After the intake, {dur} went by and no return appointment was ever offered.",
    ),
    ("between_returns", "never_offered"): (
        "For {dur} after that, no further session was ever offered.",
    ),
    ("psychiatry", "never_offered"): (
        "[I|We] asked for a psychiatrist {dur} ago and were never offered an appointment.",
    ),
}

# The same without a duration (a "gave up / never offered" answer has none).
WAITS_NODUR: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): (
        ("[I|{He}] did get an intake appointment eventually, although [I|we] lost track of how "
         "long it took."),
        "The intake did happen in the end.",
    ),
    ("intake", "waiting"): (
        "[I am|{He} is] still waiting for the intake appointment.",
        "[I am|We are] still waiting for someone to call back about an intake.",
    ),
    ("intake", "gave_up"): (
        "[I was|{He} was] never offered an intake appointment.",
        "Nobody ever offered [me|{him}] an intake, and eventually [I|we] stopped asking.",
    ),
    ("first_return", "ended"): (
        "A follow-up appointment did come eventually, long after the intake.",
    ),
    ("first_return", "waiting"): (
        "[I am|{He} is] still waiting for a return appointment after the intake.",
    ),
    ("first_return", "gave_up"): (
        "No follow-up appointment was ever offered after the intake.",
        "[I|We] gave up on getting a return appointment after the intake.",
    ),
    ("between_returns", "ended"): (
        "The sessions were so far apart that [I|{he}] had to start over every time.",
    ),
    ("between_returns", "waiting"): (
        "[I am|{He} is] still waiting for the next session, with no date in sight.",
    ),
    ("between_returns", "gave_up"): (
        "Regular sessions were never offered, so [I|we] gave up on them.",
    ),
    ("psychiatry", "ended"): (
        "[I|{He}] did eventually see a psychiatrist, much later than [I|we] had hoped.",
    ),
    ("psychiatry", "waiting"): (
        "[I am|{He} is] still waiting for a psychiatry appointment.",
    ),
    ("psychiatry", "gave_up"): (
        "[I was|{He} was] never offered a psychiatry appointment.",
        "A psychiatrist was never an option.",
    ),
    ("intake", "never_offered"): (
        "No one ever offered [me|{him}] an intake appointment.",
    ),
    ("first_return", "never_offered"): (
        "After the intake, a return appointment was never offered.",
    ),
    ("between_returns", "never_offered"): (
        "Another session was never offered.",
    ),
    ("psychiatry", "never_offered"): (
        "A psychiatry appointment was never offered.",
    ),
}

# Used when a return (follow-up) wait was reported: intake versus return appointments.
RETURN_MIDDLES = (
    ("The intake felt like a checklist: an hour of questions, a recommendation for weekly "
     "therapy, and then nothing."),
    ("[I was told I needed|We were told {who} needed] weekly sessions. The schedule said "
     "otherwise."),
    "Getting in the door was one thing; getting a second appointment was another.",
    ("Every time [I|we] called about the follow-up, [I was|we were] told the schedule was full "
     "for months."),
    ("The intake clinician was kind and said [I|{he}] should be seen every week. That never "
     "happened."),
    "It is hard to build trust with a therapist you see a few times a year.",
    "Each session started with catching up, because so much time had passed since the last one.",
    "By the time the next appointment came around, [I|{he}] had to explain everything again.",
    ("The therapists [I|we] met were clearly overloaded; one told [me|us] she had more patients "
     "than she could possibly see."),
    "[My|{His}] therapist left, and nobody could tell [me|us] when a new one would be assigned.",
    "The video visits helped a little, but they were just as rare as the in-person ones.",
    ("The therapist [I|{he}] finally saw was excellent. [I|{He}] just could not see her again "
     "for a long time."),
    "Between appointments, [I was|{he} was] basically on [my|{his}] own.",
)

MIDDLES = (
    "[I|We] called every morning at eight to ask about cancellations.",
    "I called almost every day to ask if anyone had cancelled.",
    "Every call meant twenty minutes on hold, only to hear there was nothing available.",
    "[I was|We were] told to try the meditation app in the meantime.",
    "Someone suggested [I|{who}] use a self-help app while waiting. An app is not a therapist.",
    "[I was|We were] given a list of phone numbers and online classes, not an appointment.",
    "The woman on the phone was sympathetic, but she said there was simply no one available.",
    ("[I|We] sent messages through the member website, and they were answered days later with "
     "the same answer."),
    "[I was|{He} was] offered a phone check-in instead of therapy.",
    "[I|{He}] had to tell the whole story again to a new clinician, from the beginning.",
    "[I|We] took time off work for appointments that were then rescheduled.",
    "One appointment was cancelled the day before, and the next opening was weeks away.",
    ("[I was told to call back at the start of the month, when the new schedule opened. I did."
     "|We were told to call back at the start of the month, when the new schedule opened. We "
     "did.] It was already full."),
    "Nobody ever explained what the waiting list actually was or where [I was|{he} was] on it.",
    ("[I was|We were] told that if things got worse [I|we] could always go to the emergency "
     "room. That was the plan."),
    "[I|We] learned which words to say on the phone to be taken seriously.",
    "The front desk staff seemed as frustrated as [I was|we were].",
    "I kept a notebook of every call: the date, who answered, what they said.",
    ("[My|{His}] primary care doctor tried to push the referral through, and even she could not "
     "get [me|{him}] seen sooner."),
    ("At one point [I was|we were] told the best option was to wait for a call. The call never "
     "came."),
    "[I|We] asked to be put on a cancellation list. [I|We] never heard from it.",
    "[I was|We were] told the therapists were working as hard as they could, and I believe it.",
    "When [I|we] asked about a different clinic farther away, the wait there was just as long.",
    ("[I|We] did all the worksheets and the online classes. They are not the same as talking to "
     "a person."),
    ("Nobody [I|we] spoke to disagreed that [I|{he}] needed care. They just did not have it to "
     "give."),
)

GROUP_MIDDLES = (
    "The group sessions were so full that some people sat on the floor.",
    ("[In my group there were more than a dozen people and one therapist, and I barely spoke."
     "|In {his} group there were more than a dozen people and one therapist, and {he} barely "
     "spoke.]"),
    "Group therapy was offered instead of individual sessions, not in addition to them.",
    "In group, there was no time to talk about anything personal.",
    "The group room was too small for everyone who showed up, and people stood along the wall.",
)

GROUP_CHILD_MIDDLES = (
    "[In my group|In {his} group] there were so many kids that some of them sat on the floor.",
    "Children were sitting on the floor in the group because there were not enough chairs.",
    ("[I remember kids sitting on the floor in my group because there were no chairs left.|{Who} "
     "told me kids were sitting on the floor in {his} group because there were no chairs left.]"),
)

PSYCH_MIDDLES = (
    ("[My|{His}] medication ran out while [I was|{he} was] waiting, and the refill needed a "
     "psychiatrist's approval."),
    ("Medication appointments were out of reach; [I was|we were] told the psychiatrists were "
     "booked for months."),
    ("[I asked my primary care doctor|We asked {his} primary care doctor] to adjust the dose, and "
     "she said only psychiatry could do that."),
    ("[I|{He}] stayed on a dose that was not working because nobody could see [me|{him}] to "
     "change it."),
    ("[I was|We were] told that medication questions had to wait for a psychiatry appointment, "
     "and there were none."),
    "Adjusting a dose should be routine. It was not.",
)

CHILD_MIDDLES = (
    "[I|{He}] missed days of school because things got so bad.",
    "[I|{He}] fell behind in school while waiting.",
    "The school counselor called [my parents|us] more than once, asking what the plan was.",
    "[My parents|We] took time off work again and again for calls that went nowhere.",
    "For a child or a teenager, a few months is a very long time.",
    "The child and adolescent clinic had a longer waiting list than the adult one.",
)

# Urgent care (the CRISIS care bit): deliberately free of crisis words; `CRISIS` has those.
URGENT_MIDDLES = (
    "Even the urgent appointment was not really urgent; it came days later.",
    "[I was|We were] told that urgent meant within a couple of days, and it still took longer.",
    "[I was|{He} was] seen once as urgent, and then sent back to the regular waiting list.",
    "The urgent visit was a single conversation, and after that there was no plan.",
)

# Keyed by the `vocab.Outcome` bit.
OUTCOMES: dict[int, tuple[str, ...]] = {
    1: (
        "In the end [I|{he}] went to the emergency room, because there was nowhere else to go.",
        ("[I|{He}] ended up in the emergency room, which is exactly what [I|we] had been trying "
         "to avoid."),
        "[I|We] spent a night in the emergency room, because that was the only open door.",
        "The emergency room was the only place that saw [me|{him}] quickly.",
    ),
    2: (
        "[I|We] ended up paying out of pocket for a private therapist.",
        "[I|We] paid out of pocket for therapy elsewhere, on top of the premiums.",
        ("[I started paying a private therapist myself|We started paying a private therapist "
         "ourselves], which [I|we] cannot really afford."),
        "[I|We] put therapy sessions on a credit card because [I|we] could not keep waiting.",
    ),
    4: (
        "Eventually [I|{he}] stopped treatment altogether.",
        "[I|{He}] stopped going. It did not feel like treatment anymore.",
        "With so much time between appointments, [I|{he}] dropped out of treatment.",
        "[I have given up on therapy for now.|{He} gave up on therapy, and I cannot blame {him}.]",
    ),
    8: (
        "While [I was|{he} was] waiting, [my|{his}] symptoms got worse.",
        "[My|{His}] anxiety got worse every week [I was|{he} was] left waiting.",
        "[I|{He}] got worse: less sleep, more panic, less able to function.",
        "The depression deepened while [I|{he}] waited.",
        "[I|{He}] lost weight and stopped seeing friends while waiting.",
    ),
    16: (
        "Finally [I was|{he} was] referred to a provider outside the network.",
        ("[I was told to find a therapist outside the network on my own.|We were told to find a "
         "therapist outside the network on our own.]"),
        "[I was|{He} was] referred out of network, and arranging that took weeks as well.",
        "The solution was a referral to an outside provider, with a new wait.",
    ),
}

FEELINGS = (
    "It felt like being told [my|{his}] pain did not count.",
    "I felt invisible.",
    ("[Honestly, the waiting became its own kind of illness.|Honestly, the waiting became its "
     "own kind of illness for our whole family.]"),
    "I felt like I was bothering people just by asking for the care [I|we] pay for.",
    "It made [me|us] feel like [I was|{he} was] not sick enough to matter.",
    ("[I felt ashamed for needing help, and then angry for not getting it.|As a family we felt "
     "helpless, and then angry.]"),
    "Every week of waiting made it harder to believe anything would change.",
    "I cried in the car after more than one of those phone calls.",
    "You learn to stop expecting anything.",
    "It is exhausting to fight for care when you are already struggling.",
    ("I kept thinking that if [I|{he}] had a broken leg, nobody would make [me|{him}] wait this "
     "long."),
    "It felt like the system was waiting for [me|us] to give up.",
    "The worst part was not knowing how long it would be.",
    ("[I felt alone|We felt alone], even though everyone [I|we] talked to said they wanted to "
     "help."),
    "It is hard to describe how lonely it is to wait for help that does not come.",
    ("[Watching myself slip|Watching {who} struggle] and not being able to do anything was the "
     "hardest part."),
)

CLOSINGS = (
    "I am sharing this so the next person does not have to wait as long.",
    "Mental health care that comes months late is not care.",
    "Please hire more therapists.",
    "The therapists are not the problem. There are simply not enough of them.",
    "I hope someone who can change this reads it.",
    "[I|We] pay premiums every month. [I|We] deserve timely care.",
    "I support the therapists who spoke up about these waits.",
    "Something has to change.",
    ("[If you are waiting too, you are not alone.|If your family is waiting too, you are not "
     "alone.]"),
    "Timely access is the law in California. It should also be the reality.",
    "Nobody should have to fight this hard to see a therapist.",
    "If this happens to you, file a complaint; [I|we] did.",
    "Counting the days should not be part of getting better.",
    "[I|We] would just like the care [I was|{he} was] promised.",
    "Thank you for reading.",
    "Write down every call and every date. It helps.",
    "We are not just numbers on a waiting list.",
    "I hope telling this helps.",
)

# Only when `crisis=True`: one sentence the crisis detector must catch.
CRISIS = (
    ("[There were nights I thought about ending my life.|There were nights {who} talked about "
     "ending {his} life, and we were terrified.]"),
    ("[At the worst point I was having thoughts of suicide, and I still had to wait.|At the worst "
     "point {who} told us {he} was having thoughts of suicide, and we still had to wait.]"),
    ("[Some nights I thought about ending my life.|Some nights {who} said {he} thought about "
     "ending {his} life.]"),
    ("[I became suicidal while I was on the waiting list.|{Who} became suicidal while on the "
     "waiting list.]"),
)

# Only when `personal_data=True`: what a moderator must redact. Keyed by the marker used.
PERSONAL: dict[str, tuple[str, ...]] = {
    "name": (
        "[My|{His}] therapist, Dr. {name}, did what she could, but the schedule was full.",
        "The only person who helped [me|us] was Dr. {name}, and then she left.",
    ),
    "phone": (
        "If anyone wants to talk to me about this, call me at {phone}.",
        "My cell is {phone} if a reporter wants to hear more.",
    ),
    "email": (
        "You can write to me at {email}.",
        "Anyone going through the same thing can e-mail me at {email}.",
    ),
    "pname": (
        "My name is {pname}, and I do not mind saying so.",
        "I spoke three times with {pname} in scheduling.",
    ),
}

# Titles. A wait title quotes the same duration as the story; {Dur} is capitalised.
TITLES_WAIT: dict[tuple[str, str], tuple[str, ...]] = {
    ("intake", "ended"): ("{Dur} for an intake appointment", "An intake after {dur}",
                          "{Dur} just to be assessed"),
    ("intake", "waiting"): ("Still waiting for an intake after {dur}", "{Dur} and no intake yet"),
    ("intake", "gave_up"): ("Gave up on the intake after {dur}",),
    ("first_return", "ended"): ("{Dur} for a return appointment", "Intake, then {dur} of nothing",
                                "The follow-up came {dur} later",
                                "[{Dur} for a follow-up|{Who} waited {dur} for a follow-up]"),
    ("first_return", "waiting"): ("Still waiting for a follow-up after {dur}",
                                  "{Dur} since the intake, and counting"),
    ("first_return", "gave_up"): ("No follow-up after {dur}",),
    ("between_returns", "ended"): ("{Dur} between sessions", "Therapy with {dur} between visits"),
    ("between_returns", "waiting"): (("[{Dur} since my last session|{Dur} since {his} last "
                                     "session]"),),
    ("between_returns", "gave_up"): ("Gave up after {dur} between sessions",),
    ("psychiatry", "ended"): ("{Dur} to see a psychiatrist", "A psychiatrist after {dur}",
                              ("[{Dur} for a medication appointment|{Who} waited {dur} for a "
                               "psychiatrist]")),
    ("psychiatry", "waiting"): ("Still waiting for a psychiatrist after {dur}",),
    ("psychiatry", "gave_up"): ("No psychiatrist after {dur}",),
    ("intake", "never_offered"): ("Never offered an intake in {dur}",),
    ("first_return", "never_offered"): ("{Dur} and no follow-up offered",),
    ("between_returns", "never_offered"): ("No session offered in {dur}",),
    ("psychiatry", "never_offered"): ("{Dur} and no psychiatrist offered",),
}

TITLES_OUTCOME: dict[int, tuple[str, ...]] = {
    1: ("It ended in the emergency room", "The ER was the only open door"),
    2: ("[I|We] paid out of pocket in the end", "Paying twice for therapy"),
    4: ("[I stopped treatment|{Who} stopped treatment]", "Too long between visits to keep going"),
    8: ("Worse while waiting", ("[I got worse on the waiting list|{Who} got worse on the waiting "
                                "list]")),
    16: ("Sent out of network", "Referred out, and waiting again"),
}

TITLES_CITY = ("Waiting in {city}", "The waiting list in {city}",
               "Mental health care in {city}: wait and see", "What happened in {city}")

TITLES = (
    "Months of waiting", "Nobody called back", "Not enough therapists", "Care on paper only",
    "The waiting list", "Asking for help, and waiting", "It should not take this long",
    "Call back next month", "[What the wait cost me|What the wait cost our family]",
    "On hold", "Waiting is not treatment", "Please hire more therapists", "The longest wait",
    "[My|Our] story", "Help, eventually",
)


_NUM = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty")


def durations(days: int) -> tuple[str, ...]:
    """Natural ways to say `days` ("almost three months", "eleven weeks"), all accurate."""
    n = _NUM
    d = days
    if d <= 0:
        return ("less than a day",)
    if d == 1:
        return ("one day", "a single day")
    if d < 7:
        return (f"{n[d]} days",)
    if d == 7:
        return ("a week", "one week", "seven days")
    if d < 14:
        out = [f"{n[d]} days", "more than a week" if d <= 10 else "almost two weeks"]
        if d in (10, 11):
            out.append("a week and a half")
        return tuple(out)
    if d < 63:
        q, r = divmod(d, 7)
        out = [f"{n[d]} days"] if d <= 20 else []
        if r == 0:
            out.append(f"{n[q]} weeks")
        elif r <= 2:
            out.append(f"a little over {n[q]} weeks")
        elif r >= 5:
            out.append(f"almost {n[q + 1]} weeks")
        else:
            out.append(f"{n[q]} and a half weeks")
        if 28 <= d <= 33:
            out += ["about a month", "a month"]
        elif 34 <= d <= 42:
            out.append("more than a month")
        elif 43 <= d <= 50:
            out.append("a month and a half")
        elif d >= 55:
            out.append("almost two months")
        return tuple(out)
    if d < 365:
        months = d / 30.44
        whole = int(months)
        frac = months - whole
        out = [f"{n[d // 7]} weeks"] if d <= 140 and d % 7 == 0 else []
        if frac < 0.15:
            out += [f"{n[whole]} months", f"about {n[whole]} months"]
        elif frac < 0.4:
            out += [f"more than {n[whole]} months", f"a little over {n[whole]} months"]
        elif frac < 0.65:
            out.append(f"{n[whole]} and a half months")
        else:
            out.append("almost a year" if whole == 11 else f"almost {n[whole + 1]} months")
        return tuple(out)
    if d < 380:
        return ("a year", "about a year")
    if d < 500:
        return ("more than a year", "over a year", f"about {n[round(d / 30.44)]} months")
    if d < 590:
        return ("a year and a half", "about a year and a half")
    if d < 700:
        return ("almost two years", "more than a year and a half")
    if d <= 730:
        return ("two years", "about two years")
    return ("more than two years",)

# Invented people, only for `personal_data=True` stories (therapists are "Dr. ..., she").
THERAPISTS = ("Angela Reyes", "Jennifer Tran", "Linda Nguyen", "Karen Mitchell", "Priya Raman",
              "Laura Chen", "Emily Sanders", "Rachel Goldberg", "Denise Walker", "Monica Ortiz")
PEOPLE = ("Maria Lopez", "James Carter", "Kevin Nguyen", "Sarah Johnson", "Michael Kim",
          "Ashley Brooks", "David Martinez", "Jessica Patel", "Brian O'Neill", "Tanya Williams",
          "Robert Chen", "Nicole Davis")
