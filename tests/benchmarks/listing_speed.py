"""How fast and how lean `tracker posts --json` / `--jsonl` are on a big archive, as whole processes.

    PYTHONPATH=. python tests/benchmarks/listing_speed.py [--posts 100000] [--runs 3] [--keep DIR]

Builds a throwaway SQLite archive: 24 different images are logged through the real pipeline
(`tracker log`, PNGs with A1111 infotext: model, LoRAs with hashes, ControlNet units, prompts of
200-800 characters), then their image rows, model links and techniques are copied, with new
hashes, URLs, seeds and prompts (so no row's report can be reused for another), until the archive holds --posts posts. Then times, pair by pair in one run:

- the reference: `sqlite3 -json` dumping the rows the listing is made from (post, account,
  persona, image with its stored generation and findings; hashes as hex), in one query;
- `tracker posts --json` (a streamed JSON array) and `tracker posts --jsonl` (JSON Lines), after
  one first listing (timed on its own) that builds and keeps every image's report.

Each is a whole process, output to /dev/null; peak memory is the child's maximum resident set
size. Prints a table of medians, ratios against the reference and peak memory. The targets (issue
19): at most 1.2 x the reference, at most 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, PngImagePlugin

REPO = Path(__file__).resolve().parents[2]

REFERENCE_SQL = """
SELECT post.id, post.url, post.platform, post.platform_post_id, post.title, post.posted_at,
       post.status, post.status_changed_at, post.logged_at, persona.name AS persona,
       account.id AS account_id, account.platform AS account_platform, account.handle,
       account.profile_url, post.requested_by, post.permission_at, post.permission_ref,
       image.id AS image_id, image.sha256, image.original_name, image.archive_path, image.format,
       image.width, image.height, image.size_bytes, hex(image.phash) AS phash,
       hex(image.dhash) AS dhash, image.generator, image.generation, image.findings
FROM post JOIN account ON account.id = post.account_id JOIN persona ON persona.id = account.persona_id
JOIN image ON image.id = post.image_id ORDER BY post.logged_at DESC, post.id DESC
"""

WORDS = "moonlit garden lantern moth silver river quiet street rain neon portrait cat window tea".split()


def _infotext(rng: random.Random, k: int) -> str:
    prompt = ", ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 120)))
    loras = "".join(f" <lora:style{k}_{j}:0.{rng.randint(3, 9)}>" for j in range(rng.randint(0, 3)))
    hashes = ", ".join(f'"style{k}_{j}": "{rng.getrandbits(48):012x}"' for j in range(3))
    control = ""
    if k % 3 == 0:
        control = (
            ', ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 0.8, '
            'Resize Mode: Crop and Resize, Processor Res: 512, Guidance Start: 0, Guidance End: 1"'
        )
    return (
        f"{prompt}{loras}\nNegative prompt: lowres, bad hands, {rng.choice(WORDS)}\n"
        f"Steps: {rng.randint(20, 40)}, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: {rng.getrandbits(32)}, "
        f"Size: 832x1216, Model hash: {rng.getrandbits(40):010x}, Model: model{k % 4}{control}, "
        f'Lora hashes: "{hashes}", Version: v1.10.1'
    )


def _seed_image(path: Path, rng: random.Random, k: int) -> None:
    image = Image.effect_noise((96, 128), 40 + k).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", _infotext(rng, k))
    image.save(path, pnginfo=info)


def populate(data_dir: Path, n_posts: int) -> float:
    """24 logged images, then copies of their rows up to n_posts posts; returns seconds."""
    start = time.perf_counter()
    rng = random.Random(19)
    seeds = data_dir / "seeds"
    seeds.mkdir(parents=True)
    env = {**os.environ, "TRACKER_DATA_DIR": str(data_dir)}
    env.pop("TRACKER_DB", None)
    tracker = str(Path(sys.executable).with_name("tracker"))
    for k in range(24):
        path = seeds / f"seed{k}.png"
        _seed_image(path, rng, k)
        url = f"https://www.pixiv.net/artworks/{90_000_000 + k}"
        subprocess.run(
            [tracker, "log", str(path), "--url", url, "--persona", "moth"], env=env, check=True, capture_output=True
        )
    db = sqlite3.connect(data_dir / "tracker.db")
    image_cols = [r[1] for r in db.execute("PRAGMA table_info(image)") if r[1] != "id"]
    post_cols = [r[1] for r in db.execute("PRAGMA table_info(post)") if r[1] not in ("id", "image_id", "url")]
    link_cols = [r[1] for r in db.execute("PRAGMA table_info(image_resource)") if r[1] not in ("id", "image_id")]
    tech_cols = [r[1] for r in db.execute("PRAGMA table_info(technique)") if r[1] not in ("id", "image_id")]
    seed_images = db.execute(f"SELECT id, {', '.join(image_cols)} FROM image ORDER BY id").fetchall()
    seed_post = db.execute(f"SELECT {', '.join(post_cols)} FROM post ORDER BY id LIMIT 1").fetchone()
    links = {
        i: db.execute(f"SELECT {', '.join(link_cols)} FROM image_resource WHERE image_id = ?", (i,)).fetchall()
        for i, *_ in seed_images
    }
    techs = {
        i: db.execute(f"SELECT {', '.join(tech_cols)} FROM technique WHERE image_id = ?", (i,)).fetchall()
        for i, *_ in seed_images
    }
    sha_at, gen_at = image_cols.index("sha256"), image_cols.index("generation")
    next_image = db.execute("SELECT max(id) FROM image").fetchone()[0] + 1
    with db:
        for n in range(n_posts - len(seed_images)):
            source = seed_images[n % len(seed_images)]
            row = list(source[1:])
            row[sha_at] = f"{rng.getrandbits(256):064x}"
            # Every copy has its own seed and prompt, as real images do: nothing can be reused between rows.
            generation = json.loads(row[gen_at])
            generation["seed"] = rng.getrandbits(32)
            generation["prompt"] = f"{generation.get('prompt') or ''}, {rng.choice(WORDS)} {n}"
            row[gen_at] = json.dumps(generation)
            image_id = next_image + n
            db.execute(
                f"INSERT INTO image (id, {', '.join(image_cols)}) VALUES ({', '.join('?' * (len(image_cols) + 1))})",
                [image_id, *row],
            )
            db.execute(
                f"INSERT INTO post (image_id, url, {', '.join(post_cols)}) "
                f"VALUES ({', '.join('?' * (len(post_cols) + 2))})",
                [image_id, f"https://www.pixiv.net/artworks/{100_000_000 + n}", *seed_post],
            )
            for link in links[source[0]]:
                db.execute(
                    f"INSERT INTO image_resource (image_id, {', '.join(link_cols)}) "
                    f"VALUES ({', '.join('?' * (len(link_cols) + 1))})",
                    [image_id, *link],
                )
            for tech in techs[source[0]]:
                db.execute(
                    f"INSERT INTO technique (image_id, {', '.join(tech_cols)}) "
                    f"VALUES ({', '.join('?' * (len(tech_cols) + 1))})",
                    [image_id, *tech],
                )
    db.close()
    return time.perf_counter() - start


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the peak RSS in MB of one whole process, output to /dev/null."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {err[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Build (or reuse) the archive in this folder.")
    args = parser.parse_args()
    from fresh_bytecode import compile_package

    compile_package()  # time what an installed tracker runs, not the compiler
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 command-line tool is needed for the reference (apt install sqlite3)")
    tmp = None
    if args.keep:
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="tracker-listing-")
        data_dir = Path(tmp.name)
    if not (data_dir / "tracker.db").exists():
        print(f"building {args.posts} posts ...", flush=True)
        print(f"  built in {populate(data_dir, args.posts):.1f} s", flush=True)
    env = {**os.environ, "TRACKER_DATA_DIR": str(data_dir)}
    env.pop("TRACKER_DB", None)
    tracker = str(Path(sys.executable).with_name("tracker"))
    commands = {
        "sqlite3 -json (reference)": ["sqlite3", "-json", str(data_dir / "tracker.db"), REFERENCE_SQL],
        "tracker posts --json": [tracker, "posts", "--json"],
        "tracker posts --jsonl": [tracker, "posts", "--jsonl"],
    }
    _run([tracker, "--version"], env)  # warm the file cache for the interpreter
    first, first_cpu, first_peak = _run([tracker, "posts", "--jsonl"], env)  # builds and keeps every image's report
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(args.runs):
        for name, argv in commands.items():  # pair by pair: drift hits every command alike
            seconds, cpu, peak = _run(argv, env)
            times[name].append(seconds)
            cpus[name].append(cpu)
            peaks[name] = max(peaks[name], peak)
    base = statistics.median(times["sqlite3 -json (reference)"])
    base_cpu = statistics.median(cpus["sqlite3 -json (reference)"])
    print(f"\n{args.posts} posts, median of {args.runs} runs, whole processes, output to /dev/null")
    print("(CPU = user + system seconds: the fairer figure when the machine is busy)\n")
    print(f"{'command':<30} {'wall s':>7} {'ratio':>7} {'CPU s':>7} {'ratio':>7} {'peak MB':>8}")
    rows = [("first listing (keeps reports)", first, first_cpu, first_peak)]
    rows += [(n, statistics.median(times[n]), statistics.median(cpus[n]), peaks[n]) for n in commands]
    for name, wall, cpu, peak in rows:
        print(f"{name:<30} {wall:>7.2f} {wall / base:>6.2f}x {cpu:>7.2f} {cpu / base_cpu:>6.2f}x {peak:>8.0f}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
