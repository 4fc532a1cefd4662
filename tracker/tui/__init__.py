"""The Textual TUI (`tracker tui`, `tracker demo`): dashboard, complaint intake, triage, decision, reply, purge.

Screens hold no business rules and no SQL: they call feature functions (`tracker.complaints`,
`tracker.posts.lookup`, `tracker.purge`) in workers, each with its own session, and show every text from the
database through `text.plain` (never as markup). The app is built from what it is given (`app.Backend`); its one
stylesheet is `app.tcss`; the help is built from the screens' bindings (`screens.help`). Beside them: `text`
(database text as plain Rich text), `dashboard_rows` (the dashboard's rows, their sort and filter), `triage_text`
(what the complaint screen says of a complaint and its candidates), `line_breaks` (Japanese line breaking for every
folded text), `paste` (a bracketed paste kept whole and in order, and what a text area keeps of it), `message_fill`
(a pasted message read into the intake form; `message_read`: reading it, refusals in the form's words),
`decision_posts` (the decision form's posts, each with its persona, and who the letter answers as), `images` and
`external` (pictures shown in the terminal or opened outside it), `kept_input` (what a form holds unsaved, kept in a
private draft file so that it outlives the tracker killed, put back when the form opens again; `kept_attachments`:
the images of a message's attachments a new complaint's draft names, kept with it), `banner` (the dashboard's one
line: what `tracker status` says, a killed restore's alarm included; and the forms kept unsaved), `widgets`.
"""
