"""ComfyUI graphs as data: the node model, what node types mean, and UI-workflow conversion.

`comfyui.py` asks questions of a graph ("which checkpoint feeds this sampler?"); this module
holds what those questions need and nothing about the answers:

- `Graph`: the executed API graph (`{"id": {"class_type", "inputs"}}`) with its links checked
  once, so no later walk can trip over a missing node or a malformed input.
- `Graph.value`: the literal behind an input, followed through primitive, reroute and switch
  nodes; `None` when the value is computed at run time (a TIPO prompt, a math node, ...).
- `graph_from_workflow`: the UI workflow (`nodes` + `links`, widget values by position) turned
  into the same shape, the way ComfyUI's frontend builds the API graph: muted nodes dropped,
  bypassed nodes passing their matching input through, reroutes and primitives folded in.
- Tables of node types: savers, loaders, samplers, text encoders, technique nodes, and the
  widget names of common nodes (the UI workflow stores widget values without names).

Everything here treats the graph as hostile: every lookup is bounded, every walk iterative.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_NODES = 5000
"""Nodes read from one graph; real workflows have a few hundred at most."""
MAX_VALUE_HOPS = 64
"""Nodes followed to find one literal value (primitive -> switch -> reroute -> ...)."""
MAX_NOTES = 40
"""Unresolved-value notes kept per graph (they become warnings)."""

Ref = tuple[str, int]
"""A link: (source node id, output slot)."""
API_EXTRA_KEYS = frozenset({"extra", "extraMetadata", "extra_data", "extra_pnginfo", "client_id"})
"""Non-node keys front-ends add to an API graph (Civitai's `extra.airs`, ...)."""


# --- node type tables -------------------------------------------------------------------

SAVER_CLASSES = frozenset(
    {
        "SaveImage",
        "PreviewImage",
        "Image Save",
        "SaveImagePlus",
        "SaveImageExtended",
        "Save Image w/Metadata",
        "SaveImageWithMetaData",
        "Image Saver",
        "SaveAnimatedWEBP",
        "SaveAnimatedPNG",
        "SaveWEBM",
        "SaveVideo",
        "VHS_VideoCombine",
        "SDPromptSaver",
        "easy imageSave",
        "ttN imageOutput",
        "CR Image Output",
        "ImagePreviewFromLatent+",
    }
)
"""Nodes that write or show the final image; sinks named *Save*/*Preview* count too."""

CHECKPOINT_NAME_INPUTS = ("ckpt_name", "unet_name", "base_ckpt_name", "model_path", "gguf_name")
"""Inputs that name a diffusion model file on a loader node."""
CHECKPOINT_CLASS_INPUTS: dict[str, str] = {
    "DiffusersLoader": "model_path",
    "NunchakuFluxDiTLoader": "model_path",
    "CheckpointLoaderNF4": "ckpt_name",
}
VAE_LOADERS: dict[str, str] = {"VAELoader": "vae_name", "VAELoader|pysssss": "vae_name"}

SEED_INPUTS = ("seed", "noise_seed", "seed_value")
SAMPLER_CUSTOM = frozenset({"SamplerCustom", "SamplerCustomAdvanced"})
NOISE_NONE = frozenset({"DisableNoise"})
"""Noise sources that add no noise (the sampler's seed is then meaningless)."""

TEXT_INPUTS: dict[str, tuple[str, ...]] = {
    "CLIPTextEncode": ("text",),
    "CLIPTextEncodeSDXL": ("text_g", "text_l"),
    "CLIPTextEncodeSDXLRefiner": ("text",),
    "CLIPTextEncodeFlux": ("clip_l", "t5xxl"),
    "CLIPTextEncodeSD3": ("clip_l", "clip_g", "t5xxl"),
    "CLIPTextEncodeHunyuanDiT": ("bert", "mt5xl"),
    "CLIPTextEncodePixArtAlpha": ("text",),
    "CLIPTextEncodeLumina2": ("user_prompt",),
    "T5TextEncode": ("text",),
    "MZ_ChatGLM3": ("text",),
    "MZ_ChatGLM3_V2": ("text",),
    "Text to Conditioning": ("text",),
    "BNK_CLIPTextEncodeAdvanced": ("text",),
    "smZ CLIPTextEncode": ("text",),
    "Power Prompt (rgthree)": ("prompt",),
    "Power Prompt - Simple (rgthree)": ("prompt",),
    "ImpactWildcardEncode": ("populated_text",),
    "TextEncodeQwenImageEdit": ("prompt",),
    "TextEncodeQwenImageEditPlus": ("prompt",),
    "TextEncodeHunyuanVideo_ImageToVideo": ("prompt",),
    "PhotoMakerEncode": ("text",),
    "CLIPTextEncodeWithWeight": ("text",),
}
"""Text encoders and the inputs holding their prompt text."""
GENERIC_TEXT_NAMES = ("text", "prompt", "text_g", "text_l", "t5xxl", "clip_l", "populated_text", "positive_prompt")
CLIP_LIKE_INPUTS = ("clip", "opt_clip", "T5", "t5", "chatglm3_model", "text_encoder", "llm")
ZERO_CONDITIONING = frozenset(
    {"ConditioningZeroOut", "StableZero123_Conditioning", "StableZero123_Conditioning_Batched", "SV3D_Conditioning"}
)
"""Conditioning that carries no prompt text (zeroed, or made from an image alone)."""
LOADER_TEXT_SLOTS: dict[str, dict[int, str]] = {
    "Efficient Loader": {1: "positive", 2: "negative"},
    "Eff. Loader SDXL": {1: "positive", 2: "negative"},
}
"""Loaders that encode prompt widgets themselves: output slot -> widget holding the text."""

# Output slot meaning of multi-output pass-through nodes, for following one role through them.
MODEL, CLIP, VAE_ROLE, POSITIVE, NEGATIVE, LATENT, PIPE = (
    "model",
    "clip",
    "vae",
    "positive",
    "negative",
    "latent",
    "pipe",
)
SLOT_ROLES: dict[str, tuple[str, ...]] = {
    "FromBasicPipe": (MODEL, CLIP, VAE_ROLE, POSITIVE, NEGATIVE),
    "FromBasicPipe_v2": (PIPE, MODEL, CLIP, VAE_ROLE, POSITIVE, NEGATIVE),
    "ImpactKSamplerBasicPipe": (PIPE, LATENT, VAE_ROLE),
    "ImpactKSamplerAdvancedBasicPipe": (PIPE, LATENT, VAE_ROLE),
    "KSampler (Efficient)": (MODEL, POSITIVE, NEGATIVE, LATENT, VAE_ROLE),
    "KSampler Adv. (Efficient)": (MODEL, POSITIVE, NEGATIVE, LATENT, VAE_ROLE),
    "Efficient Loader": (MODEL, POSITIVE, NEGATIVE, LATENT, VAE_ROLE, CLIP),
    "Eff. Loader SDXL": (PIPE, MODEL, POSITIVE, NEGATIVE, LATENT, VAE_ROLE, CLIP),
    "Power Prompt (rgthree)": (POSITIVE, MODEL, CLIP),
    "CheckpointLoaderSimple": (MODEL, CLIP, VAE_ROLE),
    "CheckpointLoader": (MODEL, CLIP, VAE_ROLE),
    "unCLIPCheckpointLoader": (MODEL, CLIP, VAE_ROLE),
    "ImageOnlyCheckpointLoader": (MODEL, "clip_vision", VAE_ROLE),
}
PIPE_INPUTS = ("basic_pipe", "pipe", "detailer_pipe", "base_pipe", "sdxl_pipe")

# Where an image or latent comes from, in the order a chain is followed upstream.
CHAIN_INPUTS = (
    "samples_to",
    "latent_image",
    "samples",
    "latent",
    "pixels",
    "image",
    "images",
    "init_image",
    "destination",
    "image1",
    "samples1",
    "source",
    "samples_from",
    "image2",
    "image_a",
    "image_optional",
)
SIZE_SOURCES = frozenset(
    {
        "StableZero123_Conditioning",
        "StableZero123_Conditioning_Batched",
        "SV3D_Conditioning",
        "WanImageToVideo",
        "WanFirstLastFrameToVideo",
        "WanFunInpaintToVideo",
        "WanVaceToVideo",
        "HunyuanImageToVideo",
        "CosmosImageToVideoLatent",
        "LTXVImgToVideo",
        "SVD_img2vid_Conditioning",
    }
)
"""Nodes that create a latent of a stated size while also taking an image (size wins)."""
LATENT_SIZE_INPUTS: dict[str, tuple[str, str]] = {
    "Efficient Loader": ("empty_latent_width", "empty_latent_height"),
    "Eff. Loader SDXL": ("empty_latent_width", "empty_latent_height"),
}
"""Loaders that also make the empty latent: their width/height inputs."""

IMAGE_LOADERS = frozenset(
    {
        "LoadImage",
        "LoadImageMask",
        "LoadImageOutput",
        "Load Image",
        "Image Load",
        "LoadImageFromUrl",
        "LoadImagesFromURL",
        "ETN_LoadImageBase64",
        "VHS_LoadVideo",
        "VHS_LoadImages",
        "VHS_LoadImagesPath",
        "SDBatchLoader",
        "SDPromptReader",
        "easy loadImageBase64",
    }
)
"""Nodes that bring an outside image into the graph."""
LOADER_PATTERN = re.compile(r"load.*(image|video|frame)|(image|video).*load", re.IGNORECASE)

CORE_ENCODERS = frozenset({"VAEEncode", "VAEEncodeTiled", "VAEEncodeForInpaint", "InpaintModelConditioning"})
"""Pixel->latent nodes reported with module None (the plain img2img / inpaint path)."""
INPAINT_MARKERS = frozenset({"VAEEncodeForInpaint", "InpaintModelConditioning", "SetLatentNoiseMask"})
ENCODER_PATTERN = re.compile(r"VAEEncode|Encode.*Latent|StageC_VAEEncode", re.IGNORECASE)

CONTROLNET_LOADER_INPUT = "control_net_name"
PREPROCESSOR_VALUE_INPUTS: dict[str, str] = {
    "AIO_Preprocessor": "preprocessor",
    "AV_ControlNetPreprocessor": "preprocessor",
}
"""All-in-one preprocessors: the module is the preprocessor they were set to, not the class."""
PREPROCESSOR_CLASSES = frozenset(
    {"Canny", "DepthAnythingPreprocessor", "FaceKeypointsPreprocessor", "MiDaS-DepthMapPreprocessor"}
)
PREPROCESSOR_PATTERN = re.compile(
    r"preprocessor|estimator|lineart|scribble|openpose|dwpose|canny|depth|hed|pidinet|mlsd|normal.?map|segmentor|tile",
    re.IGNORECASE,
)
NOT_PREPROCESSOR = re.compile(
    r"scale|resize|crop|upscale|composite|join|batch|load|save|preview|convert|pad|rotate|flip|decode|encode|sampler",
    re.IGNORECASE,
)

IPADAPTER_NON_APPLY = re.compile(
    r"Loader|Encode|Noise|Embeds?(Save|Load)|Combine|Weights|Prep|Save|Load", re.IGNORECASE
)
INSTANTID_APPLY = frozenset({"ApplyInstantID", "ApplyInstantIDAdvanced", "ApplyInstantIDControlNet"})
PHOTOMAKER_APPLY = frozenset({"PhotoMakerEncode", "PhotoMakerEncodePlus"})
REFERENCE_CLASSES: dict[str, tuple[str, ...]] = {
    "ReferenceLatent": ("latent",),
    "InstructPixToPixConditioning": ("pixels",),
    "StableZero123_Conditioning": ("init_image",),
    "StableZero123_Conditioning_Batched": ("init_image",),
    "SV3D_Conditioning": ("init_image",),
    "TextEncodeQwenImageEdit": ("image",),
    "TextEncodeQwenImageEditPlus": ("image1", "image2", "image3"),
    "CLIPTextEncodeQwenImageEdit": ("image",),
}
"""Nodes that condition on an input image as a reference: class -> image inputs."""
VIDEO_FROM_IMAGE: dict[str, tuple[str, ...]] = {
    "WanImageToVideo": ("start_image",),
    "WanFirstLastFrameToVideo": ("start_image", "end_image"),
    "WanFunInpaintToVideo": ("start_image", "end_image"),
    "WanVaceToVideo": ("reference_image", "control_video"),
    "HunyuanImageToVideo": ("start_image",),
    "CosmosImageToVideoLatent": ("start_image", "end_image"),
    "LTXVImgToVideo": ("image",),
    "SVD_img2vid_Conditioning": ("init_image",),
}
"""Image-to-video nodes and their start-image inputs (kind img2img, module = class)."""

NON_IMAGE_INPUTS = frozenset(
    {
        "model",
        "clip",
        "vae",
        "control_net",
        "ipadapter",
        "clip_vision",
        "upscale_model",
        "insightface",
        "instantid",
        "photomaker",
        "style_model",
        "positive",
        "negative",
        "conditioning",
        "basic_pipe",
        "sigmas",
        "sampler",
        "guider",
        "noise",
        "bbox_detector",
        "segm_detector",
        "sam_model",
        "segs",
        "mask",
        "attn_mask",
        "gligen_textbox_model",
    }
)
"""Inputs never carrying the pixels whose origin an image-input check looks for."""

UPSCALER_LOADERS: dict[str, str] = {"UpscaleModelLoader": "model_name"}
DETECTOR_LOADERS: dict[str, str] = {
    "UltralyticsDetectorProvider": "model_name",
    "SAMLoader": "model_name",
    "ONNXDetectorProvider": "model_name",
}
HYPERNETWORK_LOADERS: dict[str, tuple[str, str]] = {"HypernetworkLoader": ("hypernetwork_name", "strength")}

MODEL_EXTENSIONS = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".sft", ".onnx", ".pkl", ".yaml")

SAMPLER_NAMES = frozenset(
    """euler euler_cfg_pp euler_ancestral euler_ancestral_cfg_pp heun heunpp2 dpm_2 dpm_2_ancestral lms
    dpm_fast dpm_adaptive dpmpp_2s_ancestral dpmpp_2s_ancestral_cfg_pp dpmpp_sde dpmpp_sde_gpu dpmpp_2m
    dpmpp_2m_cfg_pp dpmpp_2m_sde dpmpp_2m_sde_gpu dpmpp_3m_sde dpmpp_3m_sde_gpu ddpm lcm ipndm ipndm_v deis
    res_multistep res_multistep_cfg_pp res_multistep_ancestral res_multistep_ancestral_cfg_pp
    gradient_estimation er_sde seeds_2 seeds_3 sa_solver sa_solver_pece ddim uni_pc uni_pc_bh2""".split()
)
SCHEDULER_NAMES = frozenset(
    """normal karras exponential sgm_uniform simple ddim_uniform beta linear_quadratic kl_optimal
    AYS_SD1 AYS_SDXL AYS_SVD GITS""".split()
)
CONTROL_VALUES = frozenset({"fixed", "randomize", "increment", "decrement"})
"""`control_after_generate` widget values stored right after a seed in the UI workflow."""

KNOWN_UTILITY = frozenset(
    """Reroute PrimitiveNode Note MarkdownNote VAEDecode VAEDecodeTiled VAEDecodeHunyuan3D CLIPSetLastLayer
    CLIPLoader DualCLIPLoader TripleCLIPLoader QuadrupleCLIPLoader CLIPVisionLoader CLIPVisionEncode
    FluxGuidance ConditioningCombine ConditioningConcat ConditioningAverage ConditioningSetArea
    ConditioningSetAreaPercentage ConditioningSetAreaStrength ConditioningSetMask ConditioningSetTimestepRange
    ConditioningZeroOut LatentUpscale LatentUpscaleBy LatentComposite LatentCompositeMasked LatentBlend
    LatentFromBatch RepeatLatentBatch LatentCrop LatentFlip LatentRotate SetLatentNoiseMask ImageScale ImageScaleBy
    ImageScaleToTotalPixels ImageUpscaleWithModel ImageInvert ImageBatch ImageCrop ImagePadForOutpaint
    ImageCompositeMasked ImageBlend ImageBlur ImageSharpen ImageQuantize ImageStitch JoinImageWithAlpha EmptyImage
    SolidMask InvertMask GrowMask ThresholdMask MaskToImage ImageToMask FeatherMask CropMask MaskComposite
    ModelSamplingDiscrete ModelSamplingContinuousEDM ModelSamplingSD3 ModelSamplingFlux ModelSamplingAuraFlow
    ModelSamplingStableCascade RescaleCFG FreeU FreeU_V2 PerturbedAttentionGuidance SelfAttentionGuidance
    ModelMergeSimple ModelMergeBlocks ModelMergeAdd ModelMergeSubtract CLIPMergeSimple KSamplerSelect
    BasicScheduler KarrasScheduler ExponentialScheduler PolyexponentialScheduler SDTurboScheduler
    AlignYourStepsScheduler GITSScheduler BetaSamplingScheduler VPScheduler LaplaceScheduler SplitSigmas
    SplitSigmasDenoise FlipSigmas RandomNoise DisableNoise CFGGuider BasicGuider DualCFGGuider
    SamplerEulerAncestral SamplerEulerAncestralCFGPP SamplerDPMPP_SDE SamplerDPMPP_2M_SDE SamplerDPMPP_3M_SDE
    SamplerDPMPP_2S_Ancestral SamplerLMS SamplerDPMAdaptative SamplerLCMUpscale SamplerTCD
    ControlNetLoader DiffControlNetLoader SetUnionControlNetType StyleModelLoader GLIGENLoader
    GLIGENTextBoxApply UpscaleModelLoader PhotoMakerLoader InstantIDModelLoader InstantIDFaceAnalysis
    IPAdapterModelLoader IPAdapterUnifiedLoader IPAdapterUnifiedLoaderFaceID IPAdapterInsightFaceLoader
    IPAdapterEncoder IPAdapterCombineEmbeds IPAdapterNoise IPAdapterCLIPVisionEncode PrepImageForClipVision
    T5TokenizerOptions StableCascade_StageB_Conditioning StableCascade_SuperResolutionControlnet
    GetImageSize GetImageSize+ PrimitiveInt PrimitiveFloat PrimitiveString PrimitiveStringMultiline
    PrimitiveBoolean StringConcatenate ComfySwitchNode PreviewAny ShowText|pysssss ToBasicPipe FromBasicPipe
    FromBasicPipe_v2 SEGSPaste SEGSPreview SEGSToImageList MaskToSEGS BboxDetectorSEGS SAMDetectorSegmented
    SegsToCombinedMask UltralyticsDetectorProvider SAMLoader FluxKontextImageScale
    EmptyLatentImage EmptySD3LatentImage EmptyHunyuanLatentVideo EmptyMochiLatentVideo EmptyLTXVLatentVideo
    StableCascade_EmptyLatentImage HypernetworkLoader VAELoader T5v11Loader""".split()
)
"""Node types understood without a role of their own (plumbing the walks follow or ignore)."""


# --- UI workflow widget names ----------------------------------------------------------------

_DETAILER_HEAD = [
    "guide_size",
    "guide_size_for",
    "max_size",
    "seed",
    "steps",
    "cfg",
    "sampler_name",
    "scheduler",
    "denoise",
]
WIDGETS: dict[str, list[str]] = {
    "KSampler": ["seed", "steps", "cfg", "sampler_name", "scheduler", "denoise"],
    "KSamplerAdvanced": [
        "add_noise",
        "noise_seed",
        "steps",
        "cfg",
        "sampler_name",
        "scheduler",
        "start_at_step",
        "end_at_step",
        "return_with_leftover_noise",
    ],
    "SamplerCustom": ["add_noise", "noise_seed", "cfg"],
    "RandomNoise": ["noise_seed"],
    "KSamplerSelect": ["sampler_name"],
    "BasicScheduler": ["scheduler", "steps", "denoise"],
    "KarrasScheduler": ["steps", "sigma_max", "sigma_min", "rho"],
    "ExponentialScheduler": ["steps", "sigma_max", "sigma_min"],
    "SDTurboScheduler": ["steps", "denoise"],
    "AlignYourStepsScheduler": ["model_type", "steps", "denoise"],
    "GITSScheduler": ["coeff", "steps", "denoise"],
    "BetaSamplingScheduler": ["steps", "alpha", "beta"],
    "CFGGuider": ["cfg"],
    "DualCFGGuider": ["cfg_conds", "cfg_cond2_negative", "style"],
    "CheckpointLoaderSimple": ["ckpt_name"],
    "CheckpointLoader": ["config_name", "ckpt_name"],
    "unCLIPCheckpointLoader": ["ckpt_name"],
    "ImageOnlyCheckpointLoader": ["ckpt_name"],
    "UNETLoader": ["unet_name", "weight_dtype"],
    "UnetLoaderGGUF": ["unet_name"],
    "DiffusersLoader": ["model_path"],
    "VAELoader": ["vae_name"],
    "CLIPLoader": ["clip_name", "type", "device"],
    "DualCLIPLoader": ["clip_name1", "clip_name2", "type", "device"],
    "TripleCLIPLoader": ["clip_name1", "clip_name2", "clip_name3"],
    "CLIPVisionLoader": ["clip_name"],
    "CLIPSetLastLayer": ["stop_at_clip_layer"],
    "LoraLoader": ["lora_name", "strength_model", "strength_clip"],
    "LoraLoader|pysssss": ["lora_name", "strength_model", "strength_clip"],
    "SDLoraLoader": ["lora_name", "strength_model", "strength_clip"],
    "LoraLoaderModelOnly": ["lora_name", "strength_model"],
    "LoraTagLoader": ["text"],
    "HypernetworkLoader": ["hypernetwork_name", "strength"],
    "CLIPTextEncode": ["text"],
    "CLIPTextEncodeSDXL": ["width", "height", "crop_w", "crop_h", "target_width", "target_height", "text_g", "text_l"],
    "CLIPTextEncodeSDXLRefiner": ["ascore", "width", "height", "text"],
    "CLIPTextEncodeFlux": ["clip_l", "t5xxl", "guidance"],
    "CLIPTextEncodeSD3": ["clip_l", "clip_g", "t5xxl", "empty_padding"],
    "FluxGuidance": ["guidance"],
    "EmptyLatentImage": ["width", "height", "batch_size"],
    "EmptySD3LatentImage": ["width", "height", "batch_size"],
    "EmptyHunyuanLatentVideo": ["width", "height", "length", "batch_size"],
    "EmptyMochiLatentVideo": ["width", "height", "length", "batch_size"],
    "EmptyLTXVLatentVideo": ["width", "height", "length", "batch_size"],
    "StableCascade_EmptyLatentImage": ["width", "height", "compression", "batch_size"],
    "SDXL Empty Latent Image (rgthree)": ["dimensions", "clip_scale", "batch_size"],
    "LatentUpscale": ["upscale_method", "width", "height", "crop"],
    "LatentUpscaleBy": ["upscale_method", "scale_by"],
    "ImageScale": ["upscale_method", "width", "height", "crop"],
    "ImageScaleBy": ["upscale_method", "scale_by"],
    "LoadImage": ["image", "upload"],
    "LoadImageMask": ["image", "channel", "upload"],
    "SaveImage": ["filename_prefix"],
    "ControlNetLoader": ["control_net_name"],
    "DiffControlNetLoader": ["control_net_name"],
    "ControlNetApply": ["strength"],
    "ControlNetApplyAdvanced": ["strength", "start_percent", "end_percent"],
    "ControlNetApplySD3": ["strength", "start_percent", "end_percent"],
    "SetUnionControlNetType": ["type"],
    "AIO_Preprocessor": ["preprocessor", "resolution"],
    "unCLIPConditioning": ["strength", "noise_augmentation"],
    "StyleModelLoader": ["style_model_name"],
    "StyleModelApply": ["strength", "strength_type"],
    "CLIPVisionEncode": ["crop"],
    "VAEEncodeForInpaint": ["grow_mask_by"],
    "InpaintModelConditioning": ["noise_mask"],
    "ConditioningSetArea": ["width", "height", "x", "y", "strength"],
    "ConditioningSetTimestepRange": ["start", "end"],
    "WanImageToVideo": ["width", "height", "length", "batch_size"],
    "StableZero123_Conditioning": ["width", "height", "batch_size", "elevation", "azimuth"],
    "IPAdapterUnifiedLoader": ["preset"],
    "IPAdapterUnifiedLoaderFaceID": ["preset", "lora_strength", "provider"],
    "IPAdapterModelLoader": ["ipadapter_file"],
    "IPAdapter": ["weight", "start_at", "end_at", "weight_type"],
    "IPAdapterAdvanced": ["weight", "weight_type", "combine_embeds", "start_at", "end_at", "embeds_scaling"],
    "IPAdapterFaceID": [
        "weight",
        "weight_faceidv2",
        "weight_type",
        "combine_embeds",
        "start_at",
        "end_at",
        "embeds_scaling",
    ],
    "IPAdapterTiled": ["weight", "weight_type", "combine_embeds", "start_at", "end_at", "sharpening", "embeds_scaling"],
    "IPAdapterStyleComposition": [
        "weight_style",
        "weight_composition",
        "expand_style",
        "combine_embeds",
        "start_at",
        "end_at",
        "embeds_scaling",
    ],
    "IPAdapterApply": ["weight", "noise", "weight_type", "start_at", "end_at", "unfold_batch"],
    "IPAdapterNoise": ["type", "strength", "blur"],
    "InstantIDModelLoader": ["instantid_file"],
    "ApplyInstantID": ["weight", "start_at", "end_at"],
    "ApplyInstantIDAdvanced": ["ip_weight", "cn_strength", "start_at", "end_at", "noise", "combine_embeds"],
    "PhotoMakerLoader": ["photomaker_model_name"],
    "PhotoMakerEncode": ["text"],
    "UpscaleModelLoader": ["model_name"],
    "UltralyticsDetectorProvider": ["model_name"],
    "SAMLoader": ["model_name", "device_mode"],
    "PrimitiveInt": ["value"],
    "PrimitiveFloat": ["value"],
    "PrimitiveString": ["value"],
    "PrimitiveStringMultiline": ["value"],
    "PrimitiveBoolean": ["value"],
    "StringConcatenate": ["string_a", "string_b", "delimiter"],
    "ModelMergeSimple": ["ratio"],
    "Efficient Loader": [
        "ckpt_name",
        "vae_name",
        "clip_skip",
        "lora_name",
        "lora_model_strength",
        "lora_clip_strength",
        "positive",
        "negative",
        "token_normalization",
        "weight_interpretation",
        "empty_latent_width",
        "empty_latent_height",
        "batch_size",
    ],
    "KSampler (Efficient)": [
        "seed",
        "steps",
        "cfg",
        "sampler_name",
        "scheduler",
        "denoise",
        "preview_method",
        "vae_decode",
    ],
    "KSampler Adv. (Efficient)": [
        "add_noise",
        "noise_seed",
        "steps",
        "cfg",
        "sampler_name",
        "scheduler",
        "start_at_step",
        "end_at_step",
        "return_with_leftover_noise",
        "preview_method",
        "vae_decode",
    ],
    "ImpactKSamplerBasicPipe": ["seed", "steps", "cfg", "sampler_name", "scheduler", "denoise"],
    "SEGSDetailer": [
        *_DETAILER_HEAD,
        "noise_mask",
        "force_inpaint",
        "refiner_ratio",
        "batch_size",
        "cycle",
        "inpaint_model",
        "noise_mask_feather",
    ],
    "DetailerForEach": [*_DETAILER_HEAD, "feather", "noise_mask", "force_inpaint"],
    "DetailerForEachPipe": [*_DETAILER_HEAD, "feather", "noise_mask", "force_inpaint"],
    "FaceDetailer": [*_DETAILER_HEAD, "feather", "noise_mask", "force_inpaint"],
    "FaceDetailerPipe": [*_DETAILER_HEAD, "feather", "noise_mask", "force_inpaint"],
    "Power Prompt (rgthree)": ["prompt", "insert_lora", "insert_embedding"],
    "Lora Loader Stack (rgthree)": [f"{kind}_{i:02d}" for i in range(1, 5) for kind in ("lora", "strength")],
    "CR LoRA Stack": [
        name for i in range(1, 4) for name in (f"switch_{i}", f"lora_name_{i}", f"model_weight_{i}", f"clip_weight_{i}")
    ],
    "LoRA Stacker": [
        "input_mode",
        "lora_count",
        *[name for i in range(1, 50) for name in (f"lora_name_{i}", f"lora_wt_{i}", f"model_str_{i}", f"clip_str_{i}")],
    ],
    "ImpactWildcardProcessor": ["wildcard_text", "populated_text", "mode", "seed"],
    "ImpactWildcardEncode": [
        "wildcard_text",
        "populated_text",
        "mode",
        "Select to add LoRA",
        "Select to add Wildcard",
        "seed",
    ],
    "SetNode": ["name"],
    "GetNode": ["name"],
}
"""Widget names of common nodes in widget order (control_after_generate values are skipped)."""


# --- graph model -----------------------------------------------------------------------------


@dataclass
class Node:
    """One executed node: its type, inputs (literals or links) and unnamed UI widget values."""

    id: str
    class_type: str
    inputs: dict[str, Any]
    widgets: list[Any] = field(default_factory=list)
    """UI-workflow widget values of a node type whose widget names are unknown."""


def is_link(value: Any) -> bool:
    """True for an API-graph link `[node_id, output_index]`."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str | int)
        and not isinstance(value[0], bool)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


def is_scalar(value: Any) -> bool:
    """A literal input value (not a link, list or object)."""
    return value is None or isinstance(value, str | int | float | bool)


def number(value: Any) -> float | None:
    """A finite number, or None (bools and text are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value and abs(value) != float("inf") else None


def integer(value: Any) -> int | None:
    """An integral number as int, or None."""
    as_number = number(value)
    return int(as_number) if as_number is not None and as_number == int(as_number) else None


def model_stem(name: str) -> str:
    """A model file name without folders and without a model-file extension."""
    base = re.split(r"[\\/]", name.strip())[-1]
    lower = base.lower()
    for ext in MODEL_EXTENSIONS:
        if lower.endswith(ext) and len(base) > len(ext):
            return base[: -len(ext)]
    return base


class Graph:
    """The executed graph with checked links, plus bounded helpers to read values through it."""

    def __init__(self, nodes: dict[str, Node], warnings: list[str] | None = None, *, api_links: bool = True) -> None:
        self.nodes = nodes
        self.warnings: list[str] = warnings if warnings is not None else []
        self.notes: list[str] = []
        self._consumers: dict[str, list[str]] | None = None
        self._check_links(api_links)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Graph:
        """Build from the API `prompt` JSON, skipping entries that are not nodes."""
        warnings: list[str] = []
        nodes: dict[str, Node] = {}
        skipped = 0
        for key, entry in data.items():
            if len(nodes) >= MAX_NODES:
                warnings.append(f"graph has more than {MAX_NODES} nodes; the rest were ignored")
                break
            if not isinstance(entry, dict) or not isinstance(entry.get("class_type"), str):
                if isinstance(entry, dict) and entry and key not in API_EXTRA_KEYS:
                    skipped += 1
                continue
            inputs = entry.get("inputs")
            nodes[str(key)] = Node(str(key), entry["class_type"], dict(inputs) if isinstance(inputs, dict) else {})
        if skipped:
            warnings.append(f"{skipped} graph entries are not nodes (no class_type) and were ignored")
        return cls(nodes, warnings)

    def _check_links(self, api_links: bool) -> None:
        """Turn links into (id, slot) tuples; drop links to missing nodes with a warning.

        In an API graph every `[id, slot]` list is a link (ComfyUI reads it so); a converted UI
        workflow already holds tuples, and its list-valued widgets stay literals.
        """
        missing = 0
        for node in self.nodes.values():
            for name, value in list(node.inputs.items()):
                if (api_links and is_link(value)) or isinstance(value, tuple):
                    target = str(value[0])
                    if target in self.nodes:
                        node.inputs[name] = (target, int(value[1]))
                    else:
                        missing += 1
                        del node.inputs[name]
        if missing:
            self.warnings.append(f"{missing} links point to nodes missing from the graph; they were ignored")

    # --- structure ---

    @staticmethod
    def ref(value: Any) -> Ref | None:
        """The link held by an input value, if it is one."""
        return value if isinstance(value, tuple) else None

    def links(self, node: Node) -> Iterator[tuple[str, Ref]]:
        """(input name, link) for every linked input, in input order."""
        for name, value in node.inputs.items():
            if isinstance(value, tuple):
                yield name, value

    def source(self, ref: Ref | None) -> Node | None:
        """The node a link comes from."""
        return self.nodes.get(ref[0]) if ref is not None else None

    def consumers(self) -> dict[str, list[str]]:
        """node id -> ids of nodes that take one of its outputs (computed once)."""
        if self._consumers is None:
            table: dict[str, list[str]] = {node_id: [] for node_id in self.nodes}
            for node in self.nodes.values():
                for _, ref in self.links(node):
                    table[ref[0]].append(node.id)
            self._consumers = table
        return self._consumers

    def upstream(self, start: Iterable[str]) -> set[str]:
        """Every node the start nodes depend on (start included); iterative, cycle-safe."""
        seen: set[str] = set()
        stack = [node_id for node_id in start if node_id in self.nodes]
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            stack.extend(ref[0] for _, ref in self.links(self.nodes[node_id]) if ref[0] not in seen)
        return seen

    def order(self, ids: Iterable[str]) -> list[str]:
        """Ids upstream-first (Kahn's topological order, ties by node id; cycles broken by id)."""
        wanted = set(ids)
        deps = {i: {ref[0] for _, ref in self.links(self.nodes[i]) if ref[0] in wanted and ref[0] != i} for i in wanted}
        users: dict[str, list[str]] = {i: [] for i in wanted}
        for node_id, sources in deps.items():
            for source in sources:
                users[source].append(node_id)
        remaining = {i: len(d) for i, d in deps.items()}
        ready = [(node_sort_key(i), i) for i, n in remaining.items() if n == 0]
        heapq.heapify(ready)
        out: list[str] = []
        done: set[str] = set()
        while len(out) < len(wanted):
            if not ready:  # only cycles left: release the smallest id
                cut = min((i for i in wanted if i not in done), key=node_sort_key)
                heapq.heappush(ready, (node_sort_key(cut), cut))
                remaining[cut] = 0
            _, node_id = heapq.heappop(ready)
            if node_id in done:
                continue
            done.add(node_id)
            out.append(node_id)
            for user in users[node_id]:
                remaining[user] -= 1
                if remaining[user] == 0 and user not in done:
                    heapq.heappush(ready, (node_sort_key(user), user))
        return out

    def note(self, text: str) -> None:
        """Record something that could not be read (deduplicated, capped)."""
        if text not in self.notes and len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    # --- values ---

    def value(self, node: Node, name: str) -> Any:
        """The literal behind an input, following links through value nodes; None if computed."""
        raw = node.inputs.get(name)
        ref = self.ref(raw)
        if ref is None:
            if isinstance(raw, dict) and isinstance(raw.get("content"), str):
                return raw["content"]  # pysssss loaders store {"content": file, "image": preview}
            return raw if is_scalar(raw) else None
        return self.resolve_value(ref, f"{node.class_type}.{name}")

    def resolve_value(self, ref: Ref, what: str, depth: int = 0) -> Any:
        """The literal a link carries when its source is a primitive/switch/string node."""
        for _ in range(MAX_VALUE_HOPS):
            src = self.nodes.get(ref[0])
            if src is None:
                return None
            branch = self.switch_branch(src)
            if branch is not None:
                if len(branch) != 1:
                    self.note(f"{what}: chosen by {src.class_type} (node {src.id}) at run time")
                    return None
                ref = branch[0]
                continue
            if src.class_type == "StringConcatenate" and depth < 8:
                parts = [self._string_input(src, key, what, depth) for key in ("string_a", "string_b")]
                if any(part is None for part in parts):
                    return None
                delimiter = src.inputs.get("delimiter")
                return (delimiter if isinstance(delimiter, str) else "").join(str(p) for p in parts)
            if src.class_type in TEXT_INPUTS and src.class_type.startswith("Power Prompt") and ref[1] == 3:
                text = src.inputs.get("prompt")
                return text if isinstance(text, str) else None
            passthrough = self._single_passthrough(src)
            if passthrough is not None:
                ref = passthrough
                continue
            found, literal = self._primitive(src)
            if found:
                return literal
            self.note(f"{what}: value computed by {src.class_type} (node {src.id})")
            return None
        self.note(f"{what}: value chain too long")
        return None

    def _string_input(self, node: Node, name: str, what: str, depth: int) -> str | None:
        raw = node.inputs.get(name)
        ref = self.ref(raw)
        if ref is None:
            return raw if isinstance(raw, str) else ("" if raw is None else None)
        found = self.resolve_value(ref, what, depth + 1)
        return found if isinstance(found, str) else None

    def _single_passthrough(self, node: Node) -> Ref | None:
        """Reroute-like nodes (one linked input, nothing else) pass their value through."""
        if node.class_type in ("Reroute", "Reroute (rgthree)") or (
            len(node.inputs) == 1 and node.class_type in ("ShowText|pysssss", "PreviewAny")
        ):
            refs = [ref for _, ref in self.links(node)]
            return refs[0] if len(refs) == 1 else None
        return None

    _VALUE_NAMES = (
        "value",
        "seed",
        "noise_seed",
        "int",
        "float",
        "number",
        "string",
        "text",
        "boolean",
        "Value",
        "Text",
    )

    def _primitive(self, node: Node) -> tuple[bool, Any]:
        """(True, value) when the node is a constant: no linked inputs and one obvious literal."""
        widgets = [v for v in node.widgets if isinstance(v, str | int | float) and not isinstance(v, bool)]
        if len(widgets) == 1 and len(node.widgets) == 1:
            return True, widgets[0]  # a UI node of unknown type showing one value (a selector)
        if any(True for _ in self.links(node)):
            return False, None
        scalars = [v for v in node.inputs.values() if is_scalar(v) and v is not None]
        if len(scalars) > 3:
            return False, None  # a generator with settings (TIPO, a resolution picker, ...), not a constant
        named = [node.inputs[k] for k in self._VALUE_NAMES if k in node.inputs and is_scalar(node.inputs[k])]
        if len(named) == 1:
            return True, named[0]
        if len(scalars) == 1 and not named:
            return True, scalars[0]
        return False, None

    _SELECTORS = ("switch", "boolean", "select", "Input", "boolean_number", "select_index", "index")

    def switch_branch(self, node: Node) -> list[Ref] | None:
        """For a switch node, the link(s) it passes on: one when the choice is literal, else all."""
        if "switch" not in node.class_type.lower():
            return None
        selector_name = next((s for s in self._SELECTORS if s in node.inputs), None)
        branches = [(name, ref) for name, ref in self.links(node) if name != selector_name]
        if not branches:
            return []
        choice = self.value(node, selector_name) if selector_name else None
        by_name = dict(branches)
        if isinstance(choice, bool) or (isinstance(choice, int) and selector_name == "boolean_number"):
            for name in (
                ("on_true", "image_a", "input_a", "text_a") if choice else ("on_false", "image_b", "input_b", "text_b")
            ):
                if name in by_name:
                    return [by_name[name]]
            return [branches[0][1] if choice else branches[-1][1]]
        if isinstance(choice, int) and not isinstance(choice, bool):
            for name, ref in branches:
                if re.search(rf"(?<!\d){choice}$", name):
                    return [ref]
        if node.class_type in ("Any Switch (rgthree)", "Context Switch (rgthree)"):
            return [branches[0][1]]
        return [ref for _, ref in branches]


def node_sort_key(node_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then subgraph ids like '37:8', then the rest."""
    head = node_id.split(":", 1)[0]
    if head.isdigit():
        return (0, int(head), node_id)
    return (1, 0, node_id)


# --- UI workflow -> API graph ------------------------------------------------------------------

MUTED, BYPASSED = 2, 4


@dataclass
class _Literal:
    """A PrimitiveNode's value standing in for a link."""

    value: Any


@dataclass
class _UiNode:
    id: str
    type: str
    mode: int
    inputs: list[dict[str, Any]]
    output_types: list[str]
    widgets: Any


def _widget_inputs(node: _UiNode) -> tuple[dict[str, Any], list[Any]]:
    """Named widget values of a UI node (by table, by heuristics), or the raw list when unknown."""
    values = node.widgets
    if isinstance(values, dict):
        return {str(k): v for k, v in values.items() if is_scalar(v)}, []
    if not isinstance(values, list):
        return {}, []
    if node.type == "Power Lora Loader (rgthree)":
        loras = [v for v in values if isinstance(v, dict) and "lora" in v]
        return {f"lora_{i}": entry for i, entry in enumerate(loras, 1)}, []
    if node.type == "PrimitiveNode":
        return ({"value": values[0]} if values else {}), []
    names = WIDGETS.get(node.type)
    if names is None:
        guessed = _guess_sampler_widgets(node.type, values)
        return (guessed, []) if guessed else ({}, list(values))
    out: dict[str, Any] = {}
    position = 0
    for name in names:
        if position >= len(values):
            break
        out[name] = values[position]
        position += 1
        if (
            name in SEED_INPUTS
            and position < len(values)
            and (values[position] is None or values[position] in CONTROL_VALUES)
        ):
            position += 1
    return out, []


def _guess_sampler_widgets(node_type: str, values: list[Any]) -> dict[str, Any]:
    """Sampler settings of an unknown *Sampler*/*Detailer* node, found by the sampler/scheduler pair."""
    if not re.search(r"sampler|detailer", node_type, re.IGNORECASE):
        return {}
    for i in range(2, len(values) - 1):
        if values[i] in SAMPLER_NAMES and values[i + 1] in SCHEDULER_NAMES:
            out: dict[str, Any] = {
                "sampler_name": values[i],
                "scheduler": values[i + 1],
                "cfg": values[i - 1],
                "steps": values[i - 2],
            }
            if i + 2 < len(values) and number(values[i + 2]) is not None and 0 <= values[i + 2] <= 1:
                out["denoise"] = values[i + 2]
            before = [v for v in values[: i - 2] if v not in CONTROL_VALUES and v is not None]
            if before and integer(before[-1]) is not None:
                out["seed"] = before[-1]
            return out
    return {}


def _ui_links(raw: Any) -> dict[int, tuple[str, int, str]]:
    """link id -> (origin node id, origin slot, type) from list or dict link records."""
    out: dict[int, tuple[str, int, str]] = {}
    if not isinstance(raw, list):
        return out
    for item in raw[: MAX_NODES * 8]:
        if isinstance(item, list) and len(item) >= 5:
            link_id, origin, slot = item[0], item[1], item[2]
            kind = item[5] if len(item) > 5 else ""
        elif isinstance(item, dict):
            link_id, origin, slot, kind = (
                item.get("id"),
                item.get("origin_id"),
                item.get("origin_slot"),
                item.get("type", ""),
            )
        else:
            continue
        if integer(link_id) is not None and isinstance(origin, str | int) and integer(slot) is not None:
            out[int(link_id)] = (str(origin), int(slot), str(kind))
    return out


def _ui_nodes(raw: Any, warnings: list[str]) -> dict[str, _UiNode]:
    nodes: dict[str, _UiNode] = {}
    if not isinstance(raw, list):
        return nodes
    for item in raw:
        if len(nodes) >= MAX_NODES:
            warnings.append(f"workflow has more than {MAX_NODES} nodes; the rest were ignored")
            break
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("type"), str)
            or not isinstance(item.get("id"), str | int)
        ):
            continue
        raw_inputs, raw_outputs = item.get("inputs"), item.get("outputs")
        inputs = [i for i in raw_inputs if isinstance(i, dict)] if isinstance(raw_inputs, list) else []
        outputs: list[Any] = raw_outputs if isinstance(raw_outputs, list) else []
        types = [str(o.get("type", "")) if isinstance(o, dict) else "" for o in outputs]
        mode = integer(item.get("mode")) or 0
        nodes[str(item["id"])] = _UiNode(str(item["id"]), item["type"], mode, inputs, types, item.get("widgets_values"))
    return nodes


def graph_from_workflow(data: dict[str, Any]) -> Graph:
    """The API graph ComfyUI's frontend would queue for this UI workflow (best effort).

    Muted nodes (mode 2) are dropped; a link from a bypassed node (mode 4) is re-pointed at the
    bypassed node's input of the same type; Reroute/Get/Set nodes are folded away; a link from a
    PrimitiveNode becomes its literal value. A linked input overrides the widget of that name.
    """
    warnings: list[str] = []
    ui = _ui_nodes(data.get("nodes"), warnings)
    links = _ui_links(data.get("links"))
    setters = {
        str(n.widgets[0]): n for n in ui.values() if n.type == "SetNode" and isinstance(n.widgets, list) and n.widgets
    }

    def origin(link_id: Any) -> Ref | _Literal | None:
        """Follow a link to its real origin; a literal for primitives; None when cut."""
        seen: set[int] = set()
        current = integer(link_id)
        while current is not None and current not in seen and len(seen) < MAX_VALUE_HOPS:
            seen.add(current)
            if current not in links:
                return None
            node_id, slot, kind = links[current]
            src = ui.get(node_id)
            if src is None or src.mode == MUTED:
                return None
            if src.type == "PrimitiveNode":
                values = src.widgets if isinstance(src.widgets, list) else []
                return _Literal(values[0] if values else None)
            if src.type in ("Reroute", "Reroute (rgthree)"):
                current = next((integer(i.get("link")) for i in src.inputs if i.get("link") is not None), None)
                continue
            if src.type == "GetNode":
                name = src.widgets[0] if isinstance(src.widgets, list) and src.widgets else None
                setter = setters.get(str(name))
                current = (
                    next((integer(i.get("link")) for i in setter.inputs if i.get("link") is not None), None)
                    if setter
                    else None
                )
                continue
            if src.mode == BYPASSED:
                if kind in ("", "*") and slot < len(src.output_types):
                    kind = src.output_types[slot]
                current = _bypass_input(src, slot, kind)
                continue
            return (node_id, slot)
        return None

    nodes: dict[str, Node] = {}
    skipped = {"Note", "MarkdownNote", "Reroute", "Reroute (rgthree)", "PrimitiveNode", "SetNode", "GetNode"}
    for node in ui.values():
        if node.mode in (MUTED, BYPASSED) or node.type in skipped:
            continue
        inputs, unnamed = _widget_inputs(node)
        for slot_input in node.inputs:
            name = slot_input.get("name")
            if not isinstance(name, str) or slot_input.get("link") is None:
                continue
            found = origin(slot_input.get("link"))
            if isinstance(found, _Literal):
                inputs[name] = found.value
            elif isinstance(found, tuple):
                inputs[name] = (found[0], found[1])
            elif name in inputs and isinstance(slot_input.get("widget"), dict):
                del inputs[name]  # converted widget fed by a cut link: value unknown
        nodes[node.id] = Node(node.id, node.type, inputs, unnamed)
    return Graph(nodes, warnings, api_links=False)


def _bypass_input(node: _UiNode, slot: int, kind: str) -> int | None:
    """The link a bypassed node passes on for its output `slot` (the frontend's matching rule)."""
    typed = [i for i in node.inputs if i.get("link") is not None]
    if slot < len(node.inputs):
        same_slot = node.inputs[slot]
        if same_slot.get("link") is not None and str(same_slot.get("type", "")) in (kind, "*"):
            return integer(same_slot.get("link"))
    for candidate in typed:
        if str(candidate.get("type", "")) == kind:
            return integer(candidate.get("link"))
    return None
