"""Checking: whether the platforms still show a post (`tracker check`), the second network feature.

A take-down or a burn-down is only done when the post is gone from the platform. This package asks
each platform's public, no-login endpoint about a post and keeps the answer (`live`, `gone` or
`unknown` with a reason) with its time and evidence, so `show`, the purge checklist, the TUI and
`tracker status` can say what was verified. `unknown` is never read as `gone`.

- `endpoints`: the check endpoint of each platform (`platforms.toml` `[KEY.check]`, the
  `TRACKER_CHECK_URL_<KEY>` overrides) and the request for one post;
- `fetch`: one request under one deadline, no redirect to another host, a size limit;
- `verdicts`: reading each platform's answer into live, gone or unknown with its evidence;
- `run`: checking many posts politely (one second between requests to a host, backing off on
  429/503), storing the answers, marking gone posts' checklist items done on request;
- `results`: a stored check as text, its evidence in a few words (the checks are read in
  `tracker.db.post_checks`);
- `unverified`: taken-down posts not verified gone after a week (Core only, for `tracker status`).

May import: `tracker.posts`, `tracker.platforms`, `tracker.purge`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
