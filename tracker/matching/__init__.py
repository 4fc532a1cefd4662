"""Matching: which stored images a given image shows, whole or in part.

- `hashing`: how images become hash bits (the only module that knows the hash libraries);
- `screenshots`: rectangles where a picture sits inside a larger one (screenshots, collages); `grids`: the other
  cells of a grid of pictures some of whose cells were found;
- `similarity`: the numpy search over stored hashes (no database);
- `verify`: the pixel check of the best region candidates against their archived pictures;
- `crops`: the whole-picture check that a complaint image is a crop of a post;
- `rank`: one picture against the index (hashes, search, pixel check), without the database; `bars`: the picture
  inside plain or blurred bars (a letterboxed crop), searched again when the canvas as given found nothing sure;
  `drawn`: the drawn part of a white post on a page of its own white, searched again likewise; `blends`: what is
  left of a crossfade of two posts once the one found is taken out, searched for the other (when nothing was found,
  from one just below the score, both posts kept only when each is found once the other is taken out);
- `tilted`: the same search again on the picture turned a few degrees, when it found nothing sure (a photographed
  screen, a tilted screenshot);
- `index`: the saved index file of one database, handed its rows (never opens a session);
- `regions`: the region multi-index over every stored window; `saved_regions`: its tables saved beside the index;
- `stored`: reading the database's hashes for the index, re-hashing rows of an old version;
- `search`: the use case behind `tracker match` (and complaint triage): the candidates' posts, and what each
  was recorded as the input of;
- `parallel`: two pieces of numpy work on the two cores (hashing the query grid, probing the tables);
- `limits`: what the search can miss, in the words every answer that found nothing uses.

May import: `tracker.metadata`, `tracker.db`, `tracker.support`, `tracker.errors` (never a feature package:
`tracker.posts` imports `hashing`, so the arrow points one way).
"""
