"""The help screen (F1 or ?): what each screen is for and its keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# tracker — complaint triage

**Dashboard** — complaints still needing an answer, overdue ones first and in red, then answered
ones and your recent posts. `n` new complaint · `Enter` open · `j`/`k` move · `Tab` next table ·
`r` refresh · `b` burn down a persona.

**New complaint** — fill in what the message gives (only the date is required), name the posts
by URL or number, give the complainant's image file(s). Nothing is saved if an image cannot be
read or a post is not logged. `Ctrl+S` save · `Esc` cancel.

**Complaint** — the complaint, then candidate posts: those it names first, then every post that
looks like its image (score, whole / flipped / region, which hashes matched). The two pictures
are shown side by side with the post's models, LoRAs, image inputs and risk notes. A complaint
image that matches a post's recorded input (a ControlNet or img2img source) puts that post first,
as "used as input".
`d` decide · `t` take down · `p` reply draft · `j`/`k` move · `Esc` back.

**Decision** — take down, dispute (with a reason), ask for more information, invalid notice, or
withdrawn. Deciding again records a revision; earlier decisions stay on record.

**Reply** — drafted from the decision: the posts, the models and LoRAs with their creators, and
for a take-down that complying is not an admission. Templates: `data/replies/`, overridden by
`replies/<action>.txt` in your data folder. `F2` copy · `F3` mark answered · `Esc` close.

**Burn down** — choose a persona, then work through its deletion checklist, in order: exports,
services that block account deletion, every live post, the accounts, local traces. The
highlighted item shows its steps, waiting periods and sources below the list. `d` done · `s` skip
(with a reason) · `f` failed · `o` reopen · `D` every post on that platform done (once the account
deletion took them) · `a` hide/show settled items · `r` refresh. A post marked done is recorded as
deleted. When nothing is left, `tracker purge scrub PERSONA` in a terminal deletes the persona.

Anywhere: `Ctrl+P` command palette · `F1`/`?` this help · `q` quit. The mouse works too.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss_help", "Close"), Binding("q", "dismiss_help", "Close", show=False)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: thick $primary; background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
