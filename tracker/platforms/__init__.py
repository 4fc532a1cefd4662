"""Platforms: which site a post URL belongs to, its one stored spelling, and the facts a purge needs.

- `urls`: reading a post URL (platform, post id, account), its one spelling, loading the platforms file;
- `model`: what a platform (`Platform`) and a post URL (`PostRef`) are;
- `file`: reading and checking a platforms file (`data/platforms.toml`, or the user's own).

The facts themselves (URL patterns, how to delete a post or an account, exports) are reference data in
`data/platforms.toml`, not code. Nothing here touches the network.

May import: `tracker.errors`, `tracker.support` and the standard library.
"""
