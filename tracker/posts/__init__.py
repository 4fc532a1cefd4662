"""Posts: logging what was published, finding it again, changing it, importing it in bulk.

- `log`: logging one post (`tracker log`); `requests`: posts made for someone else; `posting_dates`: the rule
  for a posting date the owner gives (never in the future);
- `by_key`: which post (its number or URL, in any stored spelling) or image (`image:N`) the owner typed, as SQL
  text; `lookup`: that post loaded in an ORM session, for the commands that change it;
- `file_names`: every name an image was logged or imported under, per persona (the burn-down checklist);
- `edit`: correcting a logged post (`tracker post set`); `corrections`: its URL, platform, account or image;
  `removal`: a post logged by mistake (`tracker post remove`); `accounts`: an account renamed on its platform;
  `dropping`: the image and account a corrected or removed post leaves, removed when nothing else uses them;
- `personas`: listing personas, their sign-off, renaming and merging them, moving a post; `persona_names`:
  "did you mean" for a persona or platform name typed wrong; `persona_renames`: what a renamed persona was
  called before, from the audit trail (SQL text);
- `inputs`: the input images recorded for a post's techniques; `input_files`: recording one;
- `importing`, `import_files`, `import_workers` and `sidecars`: bulk import, which files it reads, the worker
  processes that read and archive them, and the gallery-dl sidecars
  (a further page of a post, pixiv's `_p1`, becomes a `post_page` of it); `sidecar_sites`: what each site's
  sidecar says (post URL, account, title, date, page); `import_summary`: what an import did,
  and the new images it names for breaking the owner's rules;
- `views`: the one dict view of a post (the `--json` form, the reports, the TUI); `record`: a post as
  `tracker show` reads it, its techniques and inputs as `tracker inputs` does (SQL text); `events`: audit
  entries read as SQL text and as plain data; `history_words`: a post's history in the words `tracker show`
  and the TUI give it; `sizes`: an image's size as viewers show it (turned by its EXIF orientation);
- `listing` and `listing_lines`: `tracker posts` streamed at the database's speed, reports kept in `image_report`.

May import: `tracker.platforms`, `tracker.metadata`, `tracker.accountability`, `tracker.resources.licences`,
`tracker.matching.hashing`, `tracker.archive`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
