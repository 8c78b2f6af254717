"""The staged journey's question pages: a new story at /share, or the edit of a stored one at
/my/<token>/edit (the same pages, prefilled from the story, then check your answers and Save).

Answers live in a server-side draft (testimonials.services.drafts) named by a random id in a
cookie. Each page is checked by the same rules as the whole story (reading.read_share_form on
the draft with this page's answers), keeping only this page's messages; a page is saved only
when it has none and its CSRF token is good, and every page can be shown again from the draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from testimonials import db, runtime_settings
from testimonials.extensions import csrf
from testimonials.flags import mentions_crisis
from testimonials.models import Draft, utcnow
from testimonials.services import drafts
from testimonials.share import bp, limits, steps
from testimonials.share.forms import OPTIONS, WAIT_QUESTIONS, ShareForm
from testimonials.share.queries import FacilityOptions, facility_options
from testimonials.share.reading import error_summary, read_share_form
from testimonials.share.views import csrf_expired, today

COOKIE = "waitline_draft"
EDIT_COOKIE = "waitline_edit"
JOURNEY_WAIT_STATES = [
    ("ended", _l("I got an appointment")),
    ("waiting", _l("I am still waiting")),
    ("gave_up", _l("I gave up")),
    (steps.NEVER_OFFERED, _l("I was never offered one")),
]
STEP_NAMES = "any(" + ",".join(f"'{name}'" for name in steps.ALL_STEPS) + ")"


@dataclass(frozen=True, slots=True)
class Flow:
    """Where the pages live: a new story (`token` None), or the edit of the story of a receipt
    token, whose draft belongs to that story alone (`submission_id`) and which may keep the
    clinic it names even if retired since (`facility_id`)."""

    token: str | None = None
    submission_id: int | None = None
    facility_id: int | None = None

    @property
    def editing(self) -> bool:
        return self.token is not None

    def step_url(self, step: str, *, change: bool = False) -> str:
        flag = 1 if change else None
        if self.token is None:
            return url_for(".step", step=step, change=flag)
        return url_for(".edit_step", token=self.token, step=step, change=flag)

    def check_url(self) -> str:
        return url_for(".check") if self.token is None else url_for(".edit_check",
                                                                      token=self.token)

    def exit_url(self) -> str:
        """Back from the first page: the start page, or the story's own page."""
        return url_for(".start_page") if self.token is None else url_for(".status",
                                                                           token=self.token)

    @property
    def cookie(self) -> str:
        return COOKIE if self.token is None else EDIT_COOKIE

    @property
    def cookie_path(self) -> str:
        return "/share" if self.token is None else f"/my/{self.token}/edit"


NEW_STORY = Flow()


def options(flow: Flow = NEW_STORY) -> FacilityOptions:
    if flow.facility_id is not None:  # an edit keeps the clinic its story names, retired or not
        return facility_options(db.session(), include=flow.facility_id)
    return facility_options(db.session())


def retention() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config.get("DRAFT_RETENTION_HOURS", 24)))


def current_draft(flow: Flow = NEW_STORY) -> Draft | None:
    draft = drafts.find(db.session(), request.cookies.get(flow.cookie), utcnow(), retention())
    if draft is not None and draft.answers.get("editing") != flow.submission_id:
        return None  # an edit's draft is for its own story only; a new story's has none
    return draft


def with_cookie(response: Response, raw_id: str | None, flow: Flow = NEW_STORY) -> Response:
    """The draft's id in a cookie for the flow's pages only; cleared when `raw_id` is None.

    A session cookie: closing the browser ends the journey, so that a shared computer does not
    offer the next person someone's story.
    """
    if raw_id is None:
        response.delete_cookie(flow.cookie, path=flow.cookie_path)
    else:
        response.set_cookie(flow.cookie, raw_id, path=flow.cookie_path, httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def new_draft(answers: dict[str, Any], flow: Flow = NEW_STORY) -> tuple[str, Draft]:
    """A draft holding these raw answers (an edit's marked as that story's), added in the
    caller's writing block."""
    marked = {**answers, "editing": flow.submission_id} if flow.editing else answers
    return drafts.create(db.session(), utcnow(), marked)


@bp.get("/share")
def start_page() -> ResponseReturnValue:
    """The start page: what happens, who reads it, how long it takes; resume or start again."""
    draft = current_draft()
    resume = None
    if draft is not None:
        where = first_unanswered(draft.answers)
        resume = url_for(".check") if where == "check" else url_for(".step", step=where)
    return render_template("share/start.html", resume=resume,
                           hours=int(retention().total_seconds() // 3600))


@bp.post("/share/start")
def start() -> ResponseReturnValue:
    """A new draft (or the one in progress) and its first page."""
    if current_draft() is not None:
        return redirect(url_for(".step", step=steps.STORY), 303)
    with db.writing(after_reads=True) as session:  # after the look for a draft
        raw_id, _draft = drafts.create(session, utcnow())
    return with_cookie(redirect(url_for(".step", step=steps.STORY), 303), raw_id)


@bp.post("/share/discard")
def discard() -> ResponseReturnValue:
    """The draft erased at once; the patient is back at the start page."""
    draft = current_draft()
    if draft is not None:
        hashed = draft.id_hash
        with db.writing(after_reads=True) as session:
            drafts.discard(session, hashed)
        flash(_("Your answers were deleted."))
    return with_cookie(redirect(url_for(".start_page"), 303), None)


@bp.route(f"/share/<{STEP_NAMES}:step>", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses an answer
def step(step: str) -> ResponseReturnValue:
    """One question page of a new story."""
    return step_page(NEW_STORY, step)


def step_page(flow: Flow, step: str, stored: dict[str, Any] | None = None) -> ResponseReturnValue:
    """One question page: shown from the draft, or saved and followed by the next page.

    `stored`: an edit's answers as stored, the draft's start again if it expired meanwhile.
    """
    draft = current_draft(flow)
    answers: dict[str, Any] = dict(draft.answers) if draft else dict(stored or {})
    if request.method != "POST":
        if draft is None and not flow.editing:
            flash(_("Your answers are kept for %(hours)s hours, or until you close the browser. "
                    "Please start again.", hours=int(retention().total_seconds() // 3600)))
            return redirect(url_for(".start_page"), 303)
        if step not in steps.sequence(answers):
            return redirect(flow.check_url(), 303)
        if request.args.get("change"):  # from the check page: this page's problems shown
            return render_step(flow, step, checked_page(flow, step, answers), answers)
        return render_step(flow, step, form_of(answers), answers)
    if request.form.get("website", "").strip():  # the honeypot: a robot
        return robot()
    posted = steps.posted_values(step, request.form)
    merged = {**answers, **posted}
    checked = form_of(steps.for_sending(merged), token=True)
    read_share_form(checked, options(flow).ids, today())
    keep_only(checked, set(steps.FIELDS[step]))
    if error_summary(checked):  # the page again, as typed ("never offered" too), with messages
        shown = form_of(merged, token=True)
        move_errors(checked, shown)
        return render_step(flow, step, shown, merged,
                           status=400 if csrf_expired(checked) else 200)
    return save(flow, draft, posted, step, merged, stored)


def checked_page(flow: Flow, step: str, answers: dict[str, Any]) -> ShareForm:
    """The page as saved, with a message at each of its answers that cannot be sent as it is
    (the check page links here for each; the token is this page's new one)."""
    checked = form_of(steps.for_sending(answers))
    read_share_form(checked, options(flow).ids, today())
    keep_only(checked, set(steps.FIELDS[step]))
    if "csrf_token" in checked:
        checked["csrf_token"].errors = []
    shown = form_of(answers)
    move_errors(checked, shown)
    return shown


def save(flow: Flow, draft: Draft | None, posted: dict[str, Any], step: str,
         merged: dict[str, Any], stored: dict[str, Any] | None = None) -> Response:
    """This page's answers saved (a new draft if the old one expired); the next page."""
    hashed = draft.id_hash if draft is not None else None
    raw_id = None
    with db.writing(after_reads=True) as session:  # the draft read again, under the lock
        found = session.get(Draft, hashed) if hashed is not None else None
        if found is None:
            raw_id, found = new_draft(dict(stored or {}), flow)
        drafts.save(found, posted, utcnow())
    following = steps.next_step(merged, step)
    if request.args.get("change") or following is None:
        target = flow.check_url()
    else:
        target = flow.step_url(following)
    response = redirect(target, 303)
    return with_cookie(response, raw_id, flow) if raw_id else response


def robot() -> Response:
    """What a filled-in honeypot gets: the thanks page, nothing saved, one use of the limit (its
    draft, if any, is left to the purge: a POST whose token is unchecked changes nothing)."""
    limits.count(limits.SUBMIT)
    return with_cookie(redirect(url_for(".received"), 303), None)


def form_of(answers: dict[str, Any], *, token: bool = False) -> ShareForm:
    """A story form holding these raw answers (and this request's CSRF token when `token`)."""
    data: MultiDict[str, str] = MultiDict()
    for name, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item != "":
                data.add(name, item)
    if token:
        data.add("csrf_token", request.form.get("csrf_token", ""))
    return ShareForm(formdata=data)


def keep_only(form: ShareForm, names: set[str]) -> None:
    """Messages kept for this page's fields (and the CSRF token's) only."""
    for part in _fields(form):
        if part.name not in names and part.name != "csrf_token":
            part.errors = []


def move_errors(source: ShareForm, target: ShareForm) -> None:
    for field, into in zip(_fields(source), _fields(target), strict=True):
        into.errors = list(field.errors)


def _fields(form: ShareForm) -> list[Any]:
    return [part for field in form
            for part in (list(field.form) if field.type == "FormField" else [field])]


def first_unanswered(answers: dict[str, Any]) -> str:
    """Where to resume: the story or the consent page if not done, else the check page."""
    if not answers.get("story"):
        return steps.STORY
    if not answers.get("reporter"):
        return steps.CONSENT
    return "check"


def crisis_of(answers: dict[str, Any]) -> bool:
    return mentions_crisis(steps.typed_text(answers))


def render_step(flow: Flow, step: str, form: ShareForm, answers: dict[str, Any], *,
                status: int = 200) -> tuple[str, int]:
    """A question page with its values, messages, Back link and place in the journey."""
    previous = steps.previous_step(answers, step)
    number, total = steps.position(answers, step)
    change = bool(request.args.get("change"))
    following = steps.next_step(answers, step)
    skip = flow.check_url() if change or following is None else flow.step_url(following)
    kind = steps.wait_kind(step)
    order = [*steps.FIELDS[step], "csrf_token"]
    errors = sorted(error_summary(form), key=lambda error: order.index(error[0].removesuffix(
        "-0")) if error[0].removesuffix("-0") in order else len(order))  # in the page's order
    return render_template(
        f"share/step_{'wait' if kind else step}.html", form=form, errors=errors,
        crisis=crisis_of(answers), step=step, number=number, total=total,
        action=flow.step_url(step, change=change), editing=flow.editing,
        back=flow.check_url() if change else (
            flow.step_url(previous) if previous else flow.exit_url()),
        skip=skip if step in steps.OPTIONAL else None,
        options={**OPTIONS, "journey_wait_states": JOURNEY_WAIT_STATES},
        groups=options(flow).groups,
        kind=kind, question=WAIT_QUESTIONS[kind] if kind else None,
        contact=bool(answers.get("consent_contact")),
        min_cell=runtime_settings.get("STATS_MIN_CELL"),
        # The count the script would write first, so the page keeps its room (share.css).
        story_length=len(form.story.data or "") if step == steps.STORY else 0,
    ), status


from testimonials.share import editing, sending  # noqa: E402,F401  (check, Send, edit)
