"""A small archive with two personas, built through the CLI, for the purge tests.

Persona `nightmoth` (the one burnt down) posts on pixiv (three works, one of them an image that
`lanternfish` also posted), X, Bluesky and Misskey, and has one complaint; persona `lanternfish`
posts on pixiv, X (the shared image) and Bluesky, and has its own complaint. The names, handles
and URLs are distinctive so that a byte search of the database file finds only what it should.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import Tracker
from imagefactory import FORGE_INFOTEXT, pixels, write_png

TARGET = "nightmoth"
OTHER = "lanternfish"

TARGET_POSTS = {
    "https://www.pixiv.net/artworks/555000001": "Harbour at dusk",
    "https://www.pixiv.net/artworks/555000002": "Orchard",
    "https://www.pixiv.net/artworks/555000003": "Shared picture",
    "https://x.com/nightmoth_ai/status/1855500000000000001": "Tide",
    "https://bsky.app/profile/nightmoth.bsky.social/post/3knightmoth1": "Night market",
    "https://misskey.io/notes/9nightmoth01": "Kiln",
}
OTHER_POSTS = {
    "https://www.pixiv.net/artworks/777000001": "Lantern one",
    "https://x.com/lanternfish_ai/status/1877700000000000001": "Shared, again",
    "https://bsky.app/profile/lanternfish.bsky.social/post/3klanternfish1": "Lantern two",
}
SHARED_TARGET_URL = "https://www.pixiv.net/artworks/555000003"
SHARED_OTHER_URL = "https://x.com/lanternfish_ai/status/1877700000000000001"
TARGET_COMPLAINANT = "complainant-of-nightmoth@example.org"
OTHER_COMPLAINANT = "complainant-of-lanternfish@example.org"


@dataclass(frozen=True)
class World:
    """Where the test archive's images are, and which one both personas posted."""

    shared_image: Path
    complaint_images: tuple[Path, Path]


def build_world(tracker: Tracker, folder: Path) -> World:
    """Log every post of both personas and one complaint each (all through `tracker`)."""
    folder.mkdir(parents=True, exist_ok=True)
    shared = write_png(folder / "shared.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=500))
    for number, (url, title) in enumerate(TARGET_POSTS.items()):
        image = shared if url == SHARED_TARGET_URL else _image(folder, f"moth{number}.png", 100 + number)
        tracker(
            "log", image, "--url", url, "--persona", TARGET, "--title", title, "--posted-at", f"2026-0{1 + number}-15"
        )
    for number, (url, title) in enumerate(OTHER_POSTS.items()):
        image = shared if url == SHARED_OTHER_URL else _image(folder, f"lantern{number}.png", 200 + number)
        tracker("log", image, "--url", url, "--persona", OTHER, "--title", title)
    theirs = (_image(folder, "their-a.png", 300), _image(folder, "their-b.png", 301))
    first_target = next(iter(TARGET_POSTS))
    first_other = next(iter(OTHER_POSTS))
    for post, image, contact in (
        (first_target, theirs[0], TARGET_COMPLAINANT),
        (first_other, theirs[1], OTHER_COMPLAINANT),
    ):
        tracker(
            "complaint", "add", "--post", post, "--image", image, "--basis", "dmca", "--name", f"Owner {contact}",
            "--contact", contact, "--message", f"Please remove {post}",
        )  # fmt: skip
    return World(shared, theirs)


def _image(folder: Path, name: str, seed: int) -> Path:
    return write_png(folder / name, {"parameters": FORGE_INFOTEXT}, image=pixels(seed=seed))


def database_bytes(data_dir: Path) -> bytes:
    """The raw bytes of the SQLite file and its WAL, as a forensic tool would read them."""
    database = data_dir / "tracker.db"
    wal = database.with_name("tracker.db-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def mark_everything(tracker: Tracker) -> None:
    """Tick off every item of the target's checklist (posts as deleted with their accounts)."""
    tracker("purge", "plan", TARGET)
    tracker("purge", "mark", "post:*", "done", "--persona", TARGET)
    tracker("purge", "mark", "*", "done", "--persona", TARGET)
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "no copies", "--persona", TARGET)
