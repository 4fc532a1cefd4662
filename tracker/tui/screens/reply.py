"""The reply drafted from a complaint's decision: edit it, switch its language, copy it or save it, mark it answered.

Copying sends the text to the terminal's clipboard (OSC 52, what `App.copy_to_clipboard` writes),
which some terminals and tmux without `set-clipboard` ignore: so it is also written to a private
file in the data folder (`replies-out/complaint-N-<language>.txt`), and the notice says where.
A file holds the subject line too (`history.with_subject`: `Subject: …`, an empty line, the letter), since
F9's copy of it reaches no clipboard either there; the reply marked sent keeps its subject, shown with it.
That file is also where the letter as copied or saved is kept (`letters.kept_reply`): the screen opened again shows
it, edits included, rather than a new draft (unless the decision changed since: then it says so), so the letter
marked answered later is the one that was sent.
The draft's warnings (`Draft.warnings`) are shown above the letter, for the owner only: they are
never in the text that is copied, saved or kept. What a key did (copied, saved where) is said in the screen's own
line under the letter (`say`), never in a toast over it: a toast drawn over the letter lost a wide character of a
Japanese path where the layers below cut it (`返信_  ミナスアーツ様.txt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static, TextArea

from tracker.complaints.answer_again import answered_again, decide_again_first
from tracker.complaints.closing import no_letter
from tracker.complaints.decisions import mark_answered
from tracker.complaints.history import sent_subject, with_subject
from tracker.complaints.language import reply_language
from tracker.complaints.letters.kept_reply import keep_reply, kept_instead, removal_confirmed_at
from tracker.complaints.letters.replies import Draft, draft_reply
from tracker.complaints.records import get_complaint, set_language
from tracker.complaints.views import current_decision
from tracker.errors import ConflictError, TrackerError
from tracker.purge.drafts import reply_draft
from tracker.purge.letters import letter_path
from tracker.support.dates import on_both_clocks
from tracker.support.textsafe import safe_text
from tracker.support.words import counted
from tracker.tui.screens.base import TrackerModal
from tracker.tui.screens.guard import GuardsInput, YesNo
from tracker.tui.screens.reply_file import ReplyFileScreen, default_reply_file, write_error
from tracker.tui.text import day, plain
from tracker.tui.widgets.footer_room import fit_footer
from tracker.tui.widgets.text_box import TextBox

LANGUAGE_NAMES = {"ja": "Japanese", "en": "English"}

BUTTON_LABELS = {
    "close": ("Close", "Close"),
    "copy": ("Copy", "Copy"),
    "save-file": ("Save to file", "Save"),
    "answered": ("Mark answered", "Answered"),
}
"""Each button of the reply screen: its label, and the shorter one it has on a narrow terminal."""


def shown_letter(text: str) -> str:
    """A letter as the editor may show it: every control character but the line break replaced by a
    visible escape (`\\x1b`), so that nothing in it (a complainant's name, a stored reply) can drive the
    terminal; text in a TextArea is never markup. What is copied, saved or kept is this text, as edited."""
    return safe_text(text.replace("\r\n", "\n"), keep_newlines=True)


_CLI_LANG = re.compile(r"\(tracker complaint (?:set|reply) \d+ --lang (?:ja|en)\)")
"""The way a language warning tells a shell user to switch languages: here it is Ctrl+L (F4)."""


@dataclass(frozen=True)
class SentReply:
    """The reply recorded as sent (`mark_answered`): its text, when, the language it is in, its subject line
    ("" when none was kept with it), and the sender's clock (the complaint's `sent_utc_offset`)."""

    text: str
    answered_at: datetime | None
    language: str
    subject: str = ""
    sender_offset: int | None = None


class ConfirmAnswered(YesNo):
    """Asked before a complaint is marked answered: True once the owner confirmed (Enter on Mark answered)."""

    HELP = (
        "Asked before a complaint is marked answered (F3 or Mark answered on the reply): do it once the "
        "reply is sent, by mail or the platform's form. `Enter` marks it answered (the reply kept as "
        "edited, the complaint leaves the list to answer); `Esc` or Cancel goes back to the reply with "
        "nothing changed."
    )
    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="reply.confirm_answered.cancel")]

    def __init__(self, number: int, note: str = "") -> None:
        super().__init__(
            f"Mark complaint #{number} answered? The reply must already be sent.{note}",
            yes=("mark", "Mark answered"),
            no=("cancel", "Cancel"),
            hint="Enter: mark answered · Esc: cancel",
        )


class WarningsBox(VerticalScroll):
    """The warnings above the letter: a Tab stop only while they have more lines than it shows (the keys then
    scroll them, its tint marking the focus), never an unmarked stop between the buttons and the letter."""

    def allow_focus(self) -> bool:
        return self.max_scroll_y > 0


class ReplyScreen(GuardsInput, TrackerModal[None]):
    """The reply drafted from the decision: edit, copy or save, and mark the complaint answered."""

    HELP = (
        "A letter ready to send, drafted from the decision in the complaint's language (Japanese or English; "
        "Ctrl+L or F4 switches): the posts, the models and LoRAs, a model's creator where one is recorded, your "
        "private notes never, and your persona's sign-off. A disputed DMCA or DSA notice the platform acted on "
        "gives a counter-notice; what only you can fill in is marked [[ FILL IN ]]. What you must know before "
        "sending (a counter-notice gives the complainant your legal name, address and phone) is shown above the "
        "letter, never in it. Templates: `data/replies/<language>/`, overridden by `replies/<language>/` in your "
        "data folder. Copy copies the text to the terminal's clipboard (OSC 52) and also writes it to "
        "`replies-out/` in your data folder (some terminals and tmux ignore the clipboard), under its subject "
        "line: paste it into your mail or the platform's form; Ctrl+T (F9) copies the subject line shown above "
        "the letter; Save to file (Ctrl+S) writes it, under its subject line, where you say. Once the reply is "
        "sent, Mark answered (it asks first) keeps the text as edited, with its subject. Closing with edits not "
        "copied or saved asks first. A letter copied or saved is kept (in `replies-out/`): opened again, the "
        "screen shows it as you left it, not a new draft (Ctrl+N drafts anew); if you decided again since, it "
        "says so and drafts from the new decision; if you confirmed the removal since, it says so (a new draft "
        "says the posts have been removed). A complaint already answered shows the reply as it was sent, "
        "with its subject and date (read-only: copy or save it as it is); Ctrl+N (F8) drafts a new reply from the "
        "decision in force, to send another. Every action is in the command palette (Ctrl+P) too, and Tab reaches the "
        "buttons."
    )
    BINDINGS = [
        Binding("escape", "close", "Close", id="reply.close"),
        Binding("f2", "copy", "Copy", id="reply.copy"),
        Binding("f3", "answered", "Answered", tooltip="mark the complaint answered", id="reply.answered"),
        Binding("ctrl+l,f4", "switch_language", "Language", tooltip="Japanese or English", id="reply.language"),
        Binding("ctrl+s,f5", "save_file", "Save", tooltip="to a file", id="reply.save"),
        Binding("ctrl+t,f9", "copy_subject", "Subject", tooltip="copy the subject line", id="reply.subject"),
        Binding("ctrl+n,f8", "new_draft", "New draft", tooltip="from the decision in force", id="reply.new_draft"),
        # A dialog's footer shows its own keys only: these two are the app's, shown here (both list every key).
        Binding("f1", "app.help", "Help", id="reply.help"),
        Binding("ctrl+p", "app.command_palette", "palette", show=False, id="reply.palette"),
    ]
    PALETTE = [
        ("Copy the reply", "To the clipboard, and to replies-out/ in the data folder", "copy"),
        ("Copy the subject line", "The line above the letter, for the mail or the form", "copy_subject"),
        ("Switch the reply's language", "Draft it again in Japanese or English", "switch_language"),
        ("Save the reply to a file", "Where you say, under its subject line", "save_file"),
        ("Mark the complaint answered", "Once the reply is sent (asks first)", "answered"),
        ("Draft a new reply", "Instead of the reply sent or kept, from the decision in force", "new_draft"),
    ]
    FOOTER_GIVES_WAY = ("reply.close", "reply.save", "reply.subject", "reply.language")
    """Left out of the footer, first to last, while its keys do not fit (`footer_room.fitted`: at 80 columns with
    Ctrl+N New draft, F1 Help was cut): F1 Help and ^p palette stay, and list every key; Close and Save to file are
    buttons too, and Esc closes every dialog."""
    SHORT = 30
    """Under this many rows the dialog takes the whole height, its title one row and its buttons one row each
    (no frame): the letter keeps its room, the warnings above it scroll (app.tcss)."""
    TINY = 20
    """Under this many rows the warnings give the letter more of their room still."""
    NARROW = 90
    """Under this many columns the dialog takes the whole width: at 80, 90% of it left the letter 62 cells, and a
    Bluesky post's URL (63 characters) was cut in two on the screen."""
    SHORT_LABELS = 70
    """Under this many columns the buttons have their short labels ("Save", "Answered"): whole, never cut."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.draft: str | None = None
        """The drafted reply, once the worker has written it."""
        self.language: str | None = None
        self.kept: str | None = None
        """The text as last drafted, copied or saved to a file: leaving with any other text asks first."""
        self.sent: SentReply | None = None
        """The reply recorded as sent, while it is what the screen shows (None: a draft is shown)."""
        self.subject = ""
        """The draft's subject line (`Draft.subject`), "" until drafted or when the phrases give none."""
        self.copied: str | None = None
        """The text last copied (F2) or saved to a file (Ctrl+S), or the kept letter shown: what was sent, most
        likely; marking answered with another text says so."""
        self.from_kept = False
        """The letter shown is the one kept from an earlier copy (`kept_reply`), not a new draft: Ctrl+N drafts."""
        self.logged_at = ""
        """When the complaint was logged (the draft of its edits is checked against it: `draft_owner`)."""
        self.warned: list[str] = []
        """The warnings shown above the letter (`show_warnings`)."""
        self.decided = ""
        """The decision the letter is drafted from (its id, "" when none): a draft of edits kept for another decision
        is dropped (`draft_basis`)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(f"Reply to complaint #{self.number} — edit, copy, send, then mark it answered"),
                classes="section",
                id="reply-title",
            )
            box = WarningsBox(id="reply-warnings-box")
            box.display = False
            with box:
                yield Static(Text(""), id="reply-warnings")
            sent = Static(Text(""), id="reply-sent")
            sent.display = False
            yield sent
            topic = Static(Text(""), id="reply-subject")  # `Draft.subject`: for the e-mail or form, not in the letter
            topic.display = False
            yield topic
            yield TextBox("", id="reply", read_only=True, placeholder="Drafting the reply…")
            notice = Static(Text(""), id="reply-notice")  # `say`: what a key did, whole
            notice.display = False
            yield notice
            with Horizontal(classes="buttons"):
                for name, (label, _short) in BUTTON_LABELS.items():
                    yield Button(label, id=name, variant="primary" if name == "answered" else "default")
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Leave the letter its room on a small terminal: the dialog fills it, the buttons take one row (with
        their short labels when narrow, rather than cut), the warnings give way (app.tcss: `-short`, `-narrow`)."""
        short = height < self.SHORT
        self.set_class(short, "-short")
        self.set_class(height < self.TINY, "-tiny")
        self.set_class(width < self.NARROW, "-narrow")
        for name, (label, short_label) in BUTTON_LABELS.items():
            button = self.query_one(f"#{name}", Button)
            button.compact = short
            button.label = short_label if width < self.SHORT_LABELS else label
        self.refresh_bindings()  # the footer fitted again to the new width (`active_bindings`)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings, those the footer has no room for not shown (`FOOTER_GIVES_WAY`); it is made
        compact when they do not fit otherwise."""
        return fit_footer(self, super().active_bindings, self.FOOTER_GIVES_WAY)

    @property
    def text(self) -> str:
        """The reply as it stands in the editor (edits included)."""
        return self.query_one("#reply", TextArea).text

    def draft_path(self) -> Path | None:
        """Edits not copied or saved yet are kept per complaint and language (`purge.drafts`), while a draft (not
        the reply sent) is shown."""
        if self.draft is None or self.sent is not None or self.language is None:
            return None
        return reply_draft(self.tracker.settings, self.number, self.language)

    def draft_owner(self) -> str:
        return self.logged_at

    def draft_basis(self) -> str:
        return self.decided

    def say_kept(self, message: str) -> None:
        """Above the letter, first of the warnings shown: no toast over the buttons."""
        self.show_warnings([message, *self.warned])

    def has_unsaved_input(self) -> bool:
        """The draft was edited since it was drafted, copied or saved."""
        return self.draft is not None and self.kept is not None and self.text != self.kept

    @work(thread=True, exclusive=True, group="reply", exit_on_error=False)
    def load(self, language: str | None = None, fresh: bool = False) -> None:
        """The reply sent, when the complaint was answered (unless `fresh`); else a draft from its decision
        (in `language`, recorded first when given)."""
        archive = self.tracker.archive()
        if language is not None:
            set_language(archive.factory, self.number, language)
        with archive.factory() as session:
            complaint = get_complaint(session, self.number)
            self.logged_at = complaint.created_at.isoformat()
            if complaint.reply_text is not None and not fresh and language is None:
                texts = (complaint.message, complaint.claimed_description)
                language = reply_language(complaint.language, *texts)
                subject = sent_subject(session, complaint)
                offset = complaint.sent_utc_offset
                sent = SentReply(complaint.reply_text, complaint.answered_at, language, subject, offset)
                self.from_worker(self.show_sent, sent)
                return
            if (duplicate := no_letter(complaint)) is not None:
                raise ConflictError(duplicate)  # said in one line, as a draft that cannot be made
            # the language switched to (F4) is the one drafted, a counter-notice's for an English-speaking desk too
            draft = draft_reply(session, self.tracker.settings, complaint, self.tracker.clock(), language or "")
            decision = current_decision(complaint)
            decided_at = decision.decided_at if decision is not None else None
            confirmed_at = removal_confirmed_at(decision)
            self.decided = f"decision {decision.id}" if decision is not None else ""
            if answered_again(complaint.status, bool(complaint.decisions)):  # the letter is the earlier decision's
                first = decide_again_first(self.number, "Esc, then d on the complaint screen; m shows their answer")
                draft = replace(draft, warnings=[first, *draft.warnings])
        draft, kept = (draft, False) if fresh else self._kept_instead(draft, decided_at, confirmed_at)
        self.from_worker(self.show_draft, draft, kept)

    def _kept_instead(
        self, draft: Draft, decided_at: datetime | None, confirmed_at: datetime | None = None
    ) -> tuple[Draft, bool]:
        """The letter kept from an earlier copy or save in this language (`kept_reply`) in place of `draft`, saying
        so above it; `draft` itself, saying why, when the kept letter was written before the decision in force.
        The second value: whether the kept letter is shown."""
        path = letter_path(self.tracker.settings, self.number, draft.language)
        instead = kept_instead(path, draft.text, decided_at, "Ctrl+N drafts it anew", confirmed_at)
        if (kept := instead.kept) is None:
            notes = [f"{instead.note}; F2 replaces that file"] if instead.note else []
            return replace(draft, warnings=[*notes, *draft.warnings]), False
        fill_in = draft.fill_in if "[[ FILL IN" in kept.text else []
        return replace(
            draft, text=kept.text, subject=kept.subject, fill_in=fill_in, warnings=[instead.note, *draft.warnings]
        ), True

    def show_sent(self, sent: SentReply) -> None:
        """The reply as it was sent, read-only, saying so and when; Ctrl+N gives a fresh draft."""
        self.sent = sent
        self.from_kept = False
        self.language = sent.language
        when = f" on {day(sent.answered_at)}" if sent.answered_at else ""
        self.query_one("#reply-title", Label).update(
            Text(f"Reply to complaint #{self.number} — sent{when} (Ctrl+N: a new draft)")
        )
        self.show_warnings([])
        self.show_subject(sent.subject)  # as it was sent ("" for a reply marked sent before subjects were kept)
        # When, on this machine's clock, and the sender's day when another: sent on the 5th here, it went out on
        # the 6th in Japan, after the message the letter thanks them for on the 6th (never read as sent before it).
        at = f" on {on_both_clocks(sent.answered_at, sent.sender_offset)}" if sent.answered_at else ""
        self.query_one("#reply-sent", Static).update(
            Text(
                f"This is the text you marked sent{at}. It cannot be changed: F2 copies it, Ctrl+S saves it; "
                "Ctrl+N drafts a new reply from the decision in force, to send another."
            )
        )
        self.query_one("#reply-sent", Static).display = True
        self._show_letter(sent.text, read_only=True)
        self.refresh_bindings()

    def _show_letter(self, letter: str, read_only: bool) -> None:
        """Put a letter in the editor (escaped: `shown_letter`), as the text the keys copy, save and send."""
        text = shown_letter(letter)
        self.draft = text
        reply = self.query_one("#reply", TextArea)
        reply.text = text
        reply.read_only = read_only
        reply.focus()
        self.kept = reply.text
        self.copied = self.kept if self.from_kept else None

    def action_new_draft(self) -> None:
        """A fresh draft from the decision in force, instead of the reply sent or the letter kept from a copy (edits
        since it was copied asked about first)."""
        if self.draft is None or (self.sent is None and not self.from_kept):
            return

        def redraft() -> None:
            self.draft = None  # drafting: the keys wait for it
            self.load(fresh=True)

        question = "Discard your edits and draft the reply again from the decision?"
        self.leave_asking(redraft, question, "Discard edits", closes=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A new draft (Ctrl+N, F8) only while the reply sent, or the letter kept from a copy, is shown."""
        if action == "new_draft":
            return self.sent is not None or self.from_kept
        return True

    def action_switch_language(self) -> None:
        if self.language is None or self.draft is None:  # still drafting
            return
        other = "en" if self.language == "ja" else "ja"

        def switch() -> None:
            self.draft = None
            self.load(other)

        self.leave_asking(
            switch,
            f"Discard your edits and draft the reply again in {LANGUAGE_NAMES[other]}?",
            "Discard edits",
            closes=False,
        )

    def show_draft(self, draft: Draft, kept: bool = False) -> None:
        """A letter to edit: a new draft, or the letter kept from an earlier copy (`kept`)."""
        self.from_kept = kept
        # One row under the letter, which marks each place itself (the list would take the letter's rows at 80x24).
        places = f"Fill in before sending: {counted(len(draft.fill_in), 'place')} marked in the letter"
        self.say(places if draft.fill_in else "", "warning")
        if self.sent is not None:  # a new draft instead of the reply sent (F8, or F4 in the other language)
            self.sent = None
            self.refresh_bindings()
            self.query_one("#reply-title", Label).update(
                Text(f"New reply to complaint #{self.number} — edit, copy, send, mark it answered")
            )
            self.query_one("#reply-sent", Static).display = False
        self.show_warnings(draft.warnings)
        self.show_subject(draft.subject)
        self.language = draft.language
        self._show_letter(draft.text, read_only=False)
        self.refresh_bindings()
        self.start_keeping_input()  # the edits made before the tracker closed, put back

    def show_subject(self, subject: str) -> None:
        """The draft's subject line above the letter, for the e-mail or the form that carries it: whole (a
        Japanese subject with a ticket number takes two rows at 80 columns), and F9 copies it."""
        self.subject = subject = safe_text(subject)  # a draft's is safe already; one read back from the trail too
        line = self.query_one("#reply-subject", Static)
        line.update(Text(f"Subject: {subject}"))
        line.display = bool(subject)

    def action_copy_subject(self) -> None:
        """The subject line to the terminal's clipboard (OSC 52)."""
        if not self.subject:
            return
        self.app.copy_to_clipboard(self.subject)
        # Not repeated in the notice: it is whole above the letter.
        self.say("Subject line copied (OSC 52, if the terminal allows it): it is the line above the letter")

    def say(self, message: str, severity: str = "information") -> None:
        """What a key did, in the line under the letter ("" clears it): whole, where a toast drawn over the letter
        lost a wide character of a Japanese path (`tmux` and Textual alike cut it where the layers below end)."""
        line = self.query_one("#reply-notice", Static)
        line.update(plain(message))
        line.set_class(severity == "warning", "-warning")
        line.set_class(severity == "error", "-error")
        line.display = bool(message)

    def show_warnings(self, warnings: list[str]) -> None:
        """What the owner must know before sending (`Draft.warnings`: a counter-notice reveals who they
        are), above the letter and never in it: the letter is what gets copied, saved and kept."""
        self.warned = warnings
        said = [_CLI_LANG.sub("(Ctrl+L or F4 redrafts it in the other language)", warning) for warning in warnings]
        self.query_one("#reply-warnings", Static).update(
            plain("\n".join(f"⚠ {warning}" for warning in said), keep_newlines=True)
        )
        self.query_one("#reply-warnings-box").display = bool(warnings)
        self.set_class(bool(warnings), "-warned")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.leave_asking(lambda: self.dismiss(None))

    def copy_file(self) -> Path:
        """Where a copied reply is also written: `<data dir>/replies-out/complaint-N-<language>.txt`."""
        return letter_path(self.tracker.settings, self.number, self.language)

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        """To the terminal's clipboard (OSC 52), and to a private file in case the terminal ignores it."""
        if self.draft is None:  # still drafting
            return
        text = self.text
        self.app.copy_to_clipboard(text)  # the letter alone, for the body (F9: the subject line)
        path = self.copy_file()
        try:
            self._keep(text)
        except OSError as exc:
            self.say(
                f"Reply copied to the clipboard (OSC 52, if the terminal allows it); {write_error(path, exc)}",
                "warning",
            )
            return
        under = ", under its subject line" if self.subject else ""
        message = (
            f"Reply copied to the clipboard (OSC 52, if the terminal allows it) and saved to {path}{under}; "
            "paste it into your mail"
        )
        self.say(message)

    @on(Button.Pressed, "#save-file")
    def action_save_file(self) -> None:
        """Ask where, then write the reply as edited there (an existing file only replaced once confirmed)."""
        if self.draft is None:  # still drafting
            return
        text = self.text

        def saved(path: Path | None) -> None:
            if path is None:
                return
            kept = self.copy_file()
            try:
                self._keep(text)
            except OSError as exc:  # saved where asked, but it will not be shown again
                self.kept = text
                self.keep_input()
                self.say(f"Reply saved to {path}; {write_error(kept, exc)}", "warning")
                return
            self.say(f"Reply saved to {path}")

        self.app.push_screen(ReplyFileScreen(with_subject(self.subject, text), default_reply_file(self.number)), saved)

    def _keep(self, text: str) -> None:
        """Keep `text` as the letter copied (`kept_reply`, in `copy_file`): opened again, the screen shows it, and
        leaving with it asks nothing. Raises OSError."""
        keep_reply(self.copy_file(), self.subject, text)
        self.kept = self.copied = text
        self.keep_input()  # nothing unsaved now: the draft of the edits goes

    @on(Button.Pressed, "#answered")
    def action_answered(self) -> None:
        """Ask, then record the reply as sent, keeping the text as edited (Cancel or Esc changes nothing)."""
        if self.draft is None:  # still drafting: nothing to keep yet
            return
        if self.sent is not None:
            when = f" on {day(self.sent.answered_at)}" if self.sent.answered_at else ""
            self.say(
                f"Already marked answered{when}, with this text. To send another reply, Ctrl+N drafts a new one.",
                "warning",
            )
            return
        text, subject = self.text, self.subject
        changed = self.copied is not None and text != self.copied
        note = (
            " You edited the letter after you copied it: the text as it is now is kept, not the copy."
            if changed
            else ""
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._mark_answered(text, subject)

        self.app.push_screen(ConfirmAnswered(self.number, note), confirmed)

    def _mark_answered(self, text: str, subject: str) -> None:
        """Record the reply as sent with `text` and its subject line, and close."""
        try:
            mark_answered(self.tracker.factory, self.number, text, subject)
        except TrackerError as exc:
            self.say(str(exc), "error")
            return
        self.drop_kept_input()
        self.notify(f"Complaint #{self.number} marked answered; the reply is kept with it.")
        self.dismiss(None)
