"""Complaints: logging one, triaging it, deciding it, answering it, never losing track of it.

Two subpackages: `reading` (what an arrived message says: its words, headers, dates and the deadline it asks
for; no database) and `letters` (the replies a complainant reads). The modules here log, find, triage and
decide a complaint:

- `legal`: what each legal basis asks for, the default answer targets, the labels;
- `deadlines`: reading a typed deadline (a day is the end of that local day);
- `forwarded`: who a forwarded complaint is from (the person it forwards, never the owner's own address);
- `complaint_input`: what the owner types in when logging a complaint;
- `intake`: logging a complaint that arrived, with its images and named posts;
- `platform_removed`: the live posts a platform's notice says the platform removed are recorded taken down;
- `field_checks`: the values a complaint's work URLs and platform must have (at intake and in a correction);
- `named_posts`: the posts a complaint names and whose complaint it is (at intake and in a correction);
- `intake_checks`: what a complaint must pass to be logged (a message logged before is asked about first);
- `language`: the language a reply is written in;
- `records`: finding a complaint with everything it holds; `stored`: the same read as SQL text (`complaint show`);
  `persona_ids`: a history entry of an older tracker that names a persona by number, said by name;
- `queue`: what still needs an answer and what is overdue, read as SQL text (`tracker status`, the dashboard);
- `triage`: the posts a complaint is about, named ones first, then by similarity;
- `decisions`: deciding, revising, recording the answer; `sent_matches`: what `tracker match` finds of the
  complainant's pictures when the owner says the post is not theirs; `live_copies`: the same picture a take-down
  leaves live elsewhere (every page of each post, and the pages the complaint is about);
- `closing`: closing a complaint logged twice as a duplicate of the one to answer;
- `follow_ups`: the later messages of a complaint's sender, kept with it; `answer_again`: when such a message
  makes the complaint the owner's to answer again;
- `since_intake`: what a complaint gained after it was logged (the complaint it duplicates, later messages);
- `views`: the full dict views of a complaint and a decision;
- `history`: a complaint's history, gathered from the audit entries of everything it holds;
- `history_words`: what each entry of that history says, in the one wording `complaint show` and the TUI give;
- `about_post`: the complaints about one post, and which complaint each entry of its history came from.

May import: `tracker.posts`, `tracker.platforms`, `tracker.matching`, `tracker.accountability`, `tracker.resources`,
`tracker.metadata`, `tracker.archive`, `tracker.db`, `tracker.support`, `tracker.errors`. The modules here may use
`reading` but not `letters`; `letters` may use both.
"""
