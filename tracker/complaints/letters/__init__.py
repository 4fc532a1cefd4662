"""The letters a complainant reads: reply drafts in English and Japanese, and the letter as it was sent.

- `replies`: the reply drafts and their templates (`data/replies/`); `reply_phrases`: the words of the replies
  (`phrases.toml`) and the sentences chosen from the record;
- `removal_letter`: what a take-down letter says of each removed post (by the owner or by the platform);
- `rules_letter`: a dispute of a report under a platform's rules that names no work (never "your work");
- `writers`: whose work a letter speaks of (an agent's client's, a company's, the complainant's to a platform);
- `platform_letter`: a letter to a platform's team that passed someone's complaint on (`[to_platform]` of the
  phrases);
- `owner_warnings`: what the owner must know before sending a draft (never part of the letter);
- `letter_facts`: what a reply reads besides the complaint (its posts and their models, who signs), as SQL text;
- `sent_dates`: the day a letter dates the complainant's message by (a forwarded one's own date), and how it names
  their notice with that day and its reference (`notice_names`);
- `letter_personas`: the one persona a letter answers as, and the posts of another it leaves out (told the owner);
- `sent_letter`: the letter as the owner sent it (edited after the draft, perhaps); `kept_reply`: the letter last
  copied or saved from the TUI's reply screen, shown again and recorded in place of a new draft.

May import: `tracker.complaints` (with `tracker.complaints.reading`), `tracker.posts`, `tracker.platforms`,
`tracker.matching`, `tracker.accountability`, `tracker.resources`, `tracker.metadata`, `tracker.archive`, `tracker.db`,
`tracker.support`, `tracker.errors`.
"""
