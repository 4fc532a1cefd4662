"""Complaints: logging one, triaging it, deciding it, answering it, never losing track of it.

- `legal`: what each legal basis asks for, the default answer targets, the labels;
- `messages`: reading a complaint that arrived as a file (a saved e-mail, a pasted message); `forward_blocks`: a
  message forwarded inline (Thunderbird, Gmail, Outlook, Apple Mail), its sender, date, subject and words;
- `forwarded`: who a forwarded complaint is from (the person it forwards, never the owner's own address);
- `message_files`: files that are plainly not a message (an image, a PDF, an archive), refused as one;
- `prose_urls`: the URLs a message's prose gives, told apart from the (Japanese) prose around them;
- `charsets`: the character sets a message may come in (ISO-2022-JP and its kin), decoded;
- `scripts`: kana and kanji, Latin letters, the rule telling a Japanese text from an English one, how much
  of a text the guesses read;
- `message_dates`: when a message was sent, and the UTC offset of the sender's clock;
- `mail_parts`: the parts around what a message asks (copied e-mail headers, the sender's reference
  number, the organisation and title a signature names);
- `message_details`: what a message's own words say (the writer's name, the day it asks for, the right claimed);
- `platform_notices`: a platform's own notice passing someone's complaint on (Bluesky Trust & Safety, pixiv事務局):
  whom it names as the complainant, whether it removed the content; `platform_letter`: a letter to that team;
- `notice_reading`: what a notice plainly states (DMCA/DSA elements, the time an English notice asks for, the
  writer's role, the work's title), read conservatively; `signer_names`: whether the line under a closing is a
  person's name that the sender's e-mail address spells (not `Head Of Licensing`);
- `quoting`: the writer's own words, as against what a reply quotes;
- `deadlines`: reading a typed deadline (a day is the end of that local day);
- `deadline_words`: the day and hour a message asks for, counted on the sender's clock; `english_deadlines`:
  the deadline an English message asks for (`within 48 hours`, `by December 10`);
- `complaint_input`: what the owner types in when logging a complaint;
- `intake`: logging a complaint that arrived, with its images and named posts;
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
- `replies`: the reply drafts and their templates (`data/replies/`); `removal_letter`: what a take-down letter
  says of each removed post (by the owner or by the platform); `sent_letter`: the letter as the owner
  sent it (edited after the draft, perhaps); `kept_reply`: the letter last copied or saved from the TUI's reply
  screen, shown again and recorded in place of a new draft;
- `letter_facts`: what a reply reads besides the complaint (its posts and their models, who signs), as SQL text;
- `letter_personas`: the one persona a letter answers as, and the posts of another it leaves out (told the owner);
- `reply_phrases`: the words of the replies (`phrases.toml`) and the sentences chosen from the record;
- `views`: the full dict views of a complaint and a decision;
- `history`: a complaint's history, gathered from the audit entries of everything it holds;
- `about_post`: the complaints about one post, and which complaint each entry of its history came from.

May import: `tracker.posts`, `tracker.platforms`, `tracker.matching`, `tracker.accountability`, `tracker.resources`,
`tracker.metadata`, `tracker.archive`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
