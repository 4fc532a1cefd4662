"""The shipped risk table follows the owner's document, and bad tables fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.accountability.risk import RiskTable, RiskVerdict, load_risk_table, shipped_risk_path
from tracker.errors import UsageError

# Every ControlNet module (preprocessor) name listed in docs/formats-and-platforms.md section A1,
# "Module (preprocessor) names", except "none" (which says nothing by itself; tested separately).
A1_MODULES = [
    "invert", "canny", "blur_gaussian", "shuffle", "mlsd", "threshold",
    "lineart_standard", "lineart_realistic", "lineart_coarse", "lineart_anime", "lineart_anime_denoise",
    "scribble_hed", "scribble_pidinet", "scribble_xdog",
    "softedge_hed", "softedge_hedsafe", "softedge_pidinet", "softedge_pidisafe", "softedge_teed", "softedge_anyline",
    "openpose", "openpose_face", "openpose_faceonly", "openpose_full", "openpose_hand", "dw_openpose_full",
    "animal_openpose", "densepose", "densepose_parula", "mediapipe_face",
    "depth_midas", "depth_leres", "depth_leres++", "depth_zoe", "depth_anything", "depth_anything_v2",
    "depth_hand_refiner", "normal_bae", "normal_midas", "normal_dsine",
    "seg_ofade20k", "seg_ofcoco", "seg_ufade20k", "seg_anime_face", "mobile_sam",
    "tile_resample", "tile_colorfix", "tile_colorfix+sharp", "recolor_luminance", "recolor_intensity",
    "reference_only", "reference_adain", "reference_adain+attn", "revision_clipvision", "revision_ignore_prompt",
    "t2ia_color_grid", "t2ia_sketch_pidi", "t2ia_style_clipvision",
    "inpaint", "inpaint_only", "inpaint_only+lama", "inpaint_global_harmonious",
    "instant_id_face_embedding", "instant_id_face_keypoints",
    "ip-adapter-auto", "ip-adapter_clip_sd15", "ip-adapter_clip_sdxl", "ip-adapter_clip_sdxl_plus_vith",
    "ip-adapter_clip_h", "ip-adapter_clip_g", "ip-adapter_face_id", "ip-adapter_face_id_plus", "ip-adapter_pulid",
    "clip_vision",
]  # fmt: skip

# Forge's own display names for the newer preprocessors, as they appear in real infotexts.
FORGE_MODULES = {
    "InsightFace+CLIP-H (IPAdapter)": "identity",
    "InsightFace (InstantID)": "identity",
    "CLIP-ViT-H (IPAdapter)": "style",
    "CLIP-ViT-bigG (IPAdapter)": "style",
    "CLIP-G (Revision)": "reference",
    "invert (from white bg & black line)": "lineart",
    "lineart_standard (from white bg & black line)": "lineart",
    "densepose_parula (black bg & blue torso)": "pose",
}


@pytest.fixture(scope="module")
def table() -> RiskTable:
    return load_risk_table(shipped_risk_path())


def cn(table: RiskTable, module: str | None, model: str | None = None) -> str:
    return table.classify("controlnet", module, model).risk


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "risk.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
[[class]]
key = "bad"
label = "Bad"
description = "bad"

[[class]]
key = "unknown"
label = "Unknown"
description = "review"
"""


# --- the shipped table -------------------------------------------------------------------------------


def test_shipped_table_loads_with_classes_in_rank_order(table: RiskTable) -> None:
    keys = list(table.classes)
    assert keys[0] == "identity"
    assert [table.classes[k].rank for k in keys] == list(range(len(keys)))
    for key in ("identity", "reproduces", "lineart", "structure", "pose", "reference", "style", "destructive",
                "unknown"):  # fmt: skip
        assert key in table.classes
        assert table.classes[key].label and table.classes[key].description
    assert table.fallback == "unknown"


def test_shipped_path_points_at_an_existing_file() -> None:
    path = shipped_risk_path()
    assert path.name == "risk.toml" and path.is_file()


@pytest.mark.parametrize("module", A1_MODULES)
def test_every_a1_module_is_classified(table: RiskTable, module: str) -> None:
    verdict = table.classify("controlnet", module, None)
    assert verdict.risk != "unknown", module
    assert verdict.rule is not None and verdict.note


@pytest.mark.parametrize(("module", "risk"), sorted(FORGE_MODULES.items()))
def test_forge_display_names(table: RiskTable, module: str, risk: str) -> None:
    assert cn(table, module) == risk


def test_owner_ordering(table: RiskTable) -> None:
    """Owner: Canny/Lineart are the easiest to tell; Depth/NormalMap/MLSD "riskier" than OpenPose;
    segmentation "neither more nor less safe"; Reference/Revision "much safer than any of" those;
    IP-Adapter "generally very safe"; Blur/Shuffle/Tile "you don't need to worry about"."""
    rank = table.rank
    canny = rank(cn(table, "canny", "control_v11p_sd15_canny [d14c016b]"))
    lineart = rank(cn(table, "lineart_anime", "control_v11p_sd15s2_lineart_anime"))
    depth = rank(cn(table, "depth_midas", "control_v11f1p_sd15_depth"))
    normal = rank(cn(table, "normal_bae", "control_v11p_sd15_normalbae"))
    mlsd = rank(cn(table, "mlsd", "control_v11p_sd15_mlsd"))
    seg = rank(cn(table, "seg_ofade20k", "control_v11p_sd15_seg"))
    pose = rank(cn(table, "dw_openpose_full", "control_v11p_sd15_openpose"))
    reference = rank(cn(table, "reference_only", "None"))
    ipadapter = rank(cn(table, "ip-adapter_clip_sd15", "ip-adapter_sd15 [dbbc7cfe]"))
    blur = rank(cn(table, "blur_gaussian", "control_v11f1e_sd15_tile"))
    assert canny == lineart
    assert max(canny, lineart) < min(depth, normal, mlsd, seg)
    assert depth == normal == mlsd == seg
    assert seg < pose < reference < ipadapter < blur
    assert rank("identity") < rank("reproduces") <= canny


def test_scribble_stays_with_the_lineart_family(table: RiskTable) -> None:
    # Owner lists Scribble with Canny/Lineart/Sketch ("Scribble is the safest" of them).
    verdict = table.classify("controlnet", "scribble_pidinet", "control_v11p_sd15_scribble")
    assert verdict.risk == "lineart"
    assert "safest" in verdict.note


@pytest.mark.parametrize(
    ("kind", "module", "model"),
    [
        ("instantid", None, None),
        ("instantid", None, "ip-adapter.bin"),
        ("photomaker", None, "photomaker-v2.bin"),
        ("controlnet", "instant_id_face_embedding", "ip-adapter_instant_id_sdxl"),
        ("controlnet", "instant_id_face_keypoints", "control_instant_id_sdxl"),
        ("controlnet", "ip-adapter_face_id_plus", "ip-adapter-faceid-plusv2_sd15 [6e14fc1a]"),
        ("controlnet", "ip-adapter_pulid", "ip-adapter_pulid_sdxl_fp16"),
        ("ipadapter", "ip-adapter_clip_sd15", "ip-adapter-plus-face_sd15 [71693645]"),
        ("controlnet", "ip-adapter-auto", "ip-adapter-faceid_sdxl"),
        ("ipadapter", None, "FACEID PLUS V2"),
        ("ipadapter", None, "PLUS FACE (portraits)"),
    ],
)
def test_identity_techniques(table: RiskTable, kind: str, module: str | None, model: str | None) -> None:
    assert table.classify(kind, module, model).risk == "identity"


@pytest.mark.parametrize(
    ("kind", "module", "model"),
    [
        ("ipadapter", "ip-adapter_clip_sd15", "ip-adapter_sd15 [dbbc7cfe]"),
        ("ipadapter", "ip-adapter_clip_sdxl_plus_vith", "ip-adapter-plus_sdxl_vit-h"),
        ("ipadapter", None, "PLUS (high strength)"),
        ("t2i_adapter", "t2ia_style_clipvision", "t2iadapter_style_sd14v1"),
        ("style_model", None, "flux1-redux-dev.safetensors"),
    ],
)
def test_non_face_ipadapter_and_style_are_low(
    table: RiskTable, kind: str, module: str | None, model: str | None
) -> None:
    risk = table.classify(kind, module, model).risk
    assert risk == "style"
    assert table.rank(risk) > table.rank("pose")


@pytest.mark.parametrize(
    ("module", "model"),
    [
        ("blur_gaussian", "control_v11f1e_sd15_tile"),
        ("shuffle", "control_v11e_sd15_shuffle"),
        ("tile_resample", "control_v11f1e_sd15_tile"),
        ("tile_colorfix+sharp", "control_v11f1e_sd15_tile"),
        ("t2ia_color_grid", "t2iadapter_color_sd14v1"),
        ("none", "control_v11f1e_sd15_tile [a371b31b]"),
    ],
)
def test_destructive(table: RiskTable, module: str, model: str) -> None:
    assert cn(table, module, model) == "destructive"


@pytest.mark.parametrize(
    ("module", "model", "same_as"),
    [
        ("none", "control_v11p_sd15_canny [d14c016b]", "canny"),
        ("None", "control_sd15_canny", "canny"),
        ("none", "control_sd15_scribble", "scribble_hed"),
        ("none", "control_v11f1p_sd15_depth", "depth_midas"),
        ("none", "control_v11p_sd15_openpose", "openpose_full"),
        ("none", "t2iadapter_keypose_sd14v1", "openpose"),
        ("none", "t2iadapter_seg_sd14v1", "seg_ofade20k"),
        ("none", "diffusers_xl_canny_full", "canny"),
        (None, "control_v11p_sd15_lineart", "lineart_realistic"),
        ("invert", "control_v11p_sd15s2_lineart_anime", "lineart_anime"),
        ("invert (from white bg & black line)", "control_v11p_sd15_scribble", "scribble_xdog"),
        ("none", "control_v11p_sd15_inpaint", "inpaint_only"),
    ],
)
def test_ready_made_maps_are_classified_by_model(
    table: RiskTable, module: str | None, model: str, same_as: str
) -> None:
    assert cn(table, module, model) == cn(table, same_as)


def test_hash_suffix_cannot_fake_a_word(table: RiskTable) -> None:
    # "face" is valid hex; the AutoV1 hash must not turn a depth model into an identity one.
    assert cn(table, "none", "control_sd15_depth [0facefff]") == "structure"
    assert table.classify("ipadapter", None, "ip-adapter_sd15 [facefeed]").risk == "style"


def test_mediapipe_face_is_pose_not_identity(table: RiskTable) -> None:
    verdict = table.classify("controlnet", "mediapipe_face", "control_v2p_sd15_mediapipe_face")
    assert verdict.risk == "pose"
    assert cn(table, "none", "control_v2p_sd15_mediapipe_face") == "pose"


def test_union_model_without_a_module_needs_review(table: RiskTable) -> None:
    assert cn(table, "none", "controlnet-union-sdxl-1.0_promax") == "unknown"
    assert cn(table, "canny", "controlnet-union-sdxl-1.0_promax") == "lineart"


@pytest.mark.parametrize(
    ("kind", "risk"),
    [
        ("img2img", "reproduces"),
        ("inpaint", "reproduces"),
        ("vibe_transfer", "reference"),
        ("character_reference", "reference"),
        ("reference", "reference"),
        ("revision", "reference"),
        ("IMG2IMG", "reproduces"),
    ],
)
def test_kinds_that_decide_alone(table: RiskTable, kind: str, risk: str) -> None:
    assert table.classify(kind).risk == risk


def test_recolor_reproduces(table: RiskTable) -> None:
    assert cn(table, "recolor_luminance", "sai_xl_recolor_128lora") == "reproduces"


@pytest.mark.parametrize(
    ("model", "risk"),
    [
        ("hed", "lineart"),  # Palette Swap
        ("fake_scribble", "lineart"),  # Scribbler
        ("midas", "structure"),  # Form Lock
        ("mlsd", "structure"),  # Building Control
        ("uniformer", "structure"),  # Landscaper
    ],
)
def test_novelai_controlnet_models(table: RiskTable, model: str, risk: str) -> None:
    assert table.classify("novelai_controlnet", None, model).risk == risk


def test_unknown_falls_back(table: RiskTable) -> None:
    verdict = table.classify("controlnet", "frobnicate_v9", "mystery_model")
    assert verdict == RiskVerdict("unknown", verdict.note, None)
    assert "frobnicate_v9" in verdict.note
    assert table.classify("controlnet", "none", "None").risk == "unknown"
    assert table.classify("controlnet").risk == "unknown"
    assert table.classify("something_new").risk == "unknown"


def test_unknown_ranks_above_what_the_owner_calls_safer(table: RiskTable) -> None:
    assert table.rank("unknown") < table.rank("structure")


def test_rank_of_an_undefined_key_is_the_fallback_rank(table: RiskTable) -> None:
    assert table.rank("renamed_long_ago") == table.rank("unknown")


def test_verdict_rule_indexes_the_rules(table: RiskTable) -> None:
    verdict = table.classify("img2img")
    assert verdict.rule is not None
    assert table.rules[verdict.rule].risk == verdict.risk
    assert table.rules[verdict.rule].note == verdict.note


# --- loading user tables -------------------------------------------------------------------------------


def test_first_matching_rule_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + """
[[rule]]
kind = ["controlnet", "t2i_adapter"]
module = "^CANNY"
risk = "bad"
note = "first"

[[rule]]
kind = "*"
module = "canny"
risk = "unknown"
note = "second"

[[rule]]
kind = "controlnet"
module = "x"
model = "y"
risk = "bad"
note = "both"
""",
    )
    table = load_risk_table(path)
    assert table.classify("controlnet", "canny") == RiskVerdict("bad", "first", 0)
    assert table.classify("ipadapter", "canny") == RiskVerdict("unknown", "second", 1)
    assert table.classify("controlnet", "x", "y").rule == 2
    assert table.classify("controlnet", "x", None).rule is None  # a model pattern needs a model
    assert table.classify("controlnet", "x", "z").rule is None


def test_class_order_is_rank(tmp_path: Path) -> None:
    table = load_risk_table(write(tmp_path, MINIMAL))
    assert table.rank("bad") == 0 and table.rank("unknown") == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[[class]\nkey = 1", "not valid TOML"),
        (
            MINIMAL + '[[rule]]\nkind = "controlnet"\nmodule = "canny("\nrisk = "bad"\nnote = "n"\n',
            "bad module regex",
        ),
        (
            MINIMAL + '[[rule]]\nkind = "controlnet"\nmodel = "[a-"\nrisk = "bad"\nnote = "n"\n',
            "bad model regex",
        ),
        (MINIMAL + '[[rule]]\nkind = "controlnet"\nrisk = "nope"\nnote = "n"\n', "'nope'"),
        (MINIMAL + '[[rule]]\nkind = "controlnet"\nrisk = "bad"\n', "missing 'note'"),
        (MINIMAL + '[[rule]]\nrisk = "bad"\nnote = "n"\n', "'kind'"),
        (MINIMAL + '[[rule]]\nkind = "controlnet"\nmodle = "x"\nrisk = "bad"\nnote = "n"\n', "'modle'"),
        (MINIMAL + '[[class]]\nkey = "bad"\nlabel = "b"\ndescription = "d"\n', "defined twice"),
        (MINIMAL.replace('key = "bad"', 'key = "Bad Class"'), "lowercase identifier"),
        (MINIMAL.replace('key = "unknown"', 'key = "other"'), "fallback"),
        ('fallback = "bad"\n', "no [[class]]"),
        ("rule = 3\n" + MINIMAL, "[[rule]]"),
    ],
)
def test_broken_tables_raise_one_line_usage_errors(tmp_path: Path, body: str, fragment: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(UsageError) as info:
        load_risk_table(path)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert str(path) in message


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read risk table"):
        load_risk_table(tmp_path / "absent.toml")


def test_module_has_no_ui_or_sql_imports() -> None:
    source = (Path(__file__).resolve().parents[2] / "tracker" / "accountability" / "risk.py").read_text(
        encoding="utf-8"
    )
    for name in ("textual", "sqlalchemy", "sqlite3", "alembic"):
        assert f"import {name}" not in source and f"from {name}" not in source
