"""Reading a complaint that arrived as a message: what its words, headers and dates say, read conservatively.

Nothing here touches the database; `tracker.complaints.intake` logs what these modules read.

- `messages`: reading a complaint that arrived as a file (a saved e-mail, a pasted message); `forward_blocks`: a
  message forwarded inline (Thunderbird, Gmail, Outlook, Apple Mail), its sender, date, subject and words;
- `message_files`: files that are plainly not a message (an image, a PDF, an archive), refused as one;
- `attached_images`: which parts of a message are images, and the safe names they are kept under; `html_text`:
  the text an HTML mail shows, each link's target after it;
- `prose_urls`: the URLs a message's prose gives, told apart from the (Japanese) prose around them;
- `charsets`: the character sets a message may come in (ISO-2022-JP and its kin), decoded;
- `scripts`: kana and kanji, Latin letters, the rule telling a Japanese text from an English one, how much
  of a text the guesses read;
- `message_dates`: when a message was sent, and the UTC offset of the sender's clock; `zone_words`: a clock a
  message names in words (`Eastern Time`, 日本時間);
- `mail_parts`: the parts around what a message asks (copied e-mail headers and the words after them, the
  sender's reference number, the organisation and title a signature names);
- `message_details`: what a message's own words say (the writer's name, the day it asks for, the right claimed);
- `message_writer`: who wrote it, From header and the text's own introduction or signature weighed, and the
  organisation named without the writer's name;
- `platform_notices`: a platform's own notice passing someone's complaint on (Bluesky Trust & Safety, pixiv事務局):
  whom it names as the complainant, whether it removed the content;
- `notice_reading`: what a notice plainly states (DMCA/DSA elements, the time an English notice asks for, the
  writer's role, the work's title); `signer_names`: whether the line under a closing is a person's name that
  the sender's e-mail address spells (not `Head Of Licensing`);
- `quoting`: the writer's own words, as against what a reply quotes, and their own earlier message a reply quotes
  (when it was sent);
- `deadline_words`: the day and hour a message asks for, counted on the sender's clock; `english_deadlines`:
  the deadline an English message asks for (`within 48 hours`, `by December 10`).

May import: `tracker.support`, `tracker.platforms`, `tracker.errors`, `tracker.db.enums` (plain enumerations, no
session), and nothing else of `tracker.complaints`.
"""
