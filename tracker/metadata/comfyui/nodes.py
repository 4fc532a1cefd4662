"""What ComfyUI node types mean: the tables every rule of the package looks node types up in.

Savers, loaders, samplers, text encoders and their prompt inputs, output-slot roles of
multi-output nodes, latent/image chain inputs, image loaders, technique nodes (ControlNet,
IP-Adapter, InstantID, PhotoMaker, reference and image-to-video nodes), known sampler and
scheduler names and node types understood without a role (the widget names of common nodes are
in `widgets`).

Pure data: this module imports nothing from the package. Rules use it as `N.<TABLE>`.
"""

from __future__ import annotations

import re

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
    "WanVideoModelLoader": "model",
}
VAE_LOADERS: dict[str, str] = {
    "VAELoader": "vae_name",
    "VAELoader|pysssss": "vae_name",
    "WanVideoVAELoader": "model_name",
}

SEED_INPUTS = ("seed", "noise_seed", "seed_value")
SAMPLER_CUSTOM = frozenset({"SamplerCustom", "SamplerCustomAdvanced"})
WRAPPER_SAMPLERS = frozenset({"WanVideoSampler", "WanVideoSamplerv2", "WanVideoSamplerFromSettings"})
"""kijai's WanVideoWrapper samplers (`nodes_sampler.py`): seed, steps, cfg, shift and scheduler of their own (no
`sampler_name`), the prompts of both roles in one `text_embeds` input, the latent's size in `image_embeds`; the
v2 sampler takes its scheduler, steps and shift from a linked `WanVideoSchedulerv2`, the "from settings" sampler
all its inputs from the `WanVideoSamplerSettings` node linked to its `sampler_inputs`."""
SETTINGS_HOLDERS = frozenset({"WanVideoSamplerSettings"})
"""Nodes holding every input of the sampler they feed (`WanVideoSamplerFromSettings`'s `sampler_inputs`)."""
WRAPPER_CHAIN_INPUT = "image_embeds"
"""A wrapper sampler's image embeds: the empty or image-to-video embeds that set the video's size."""
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
    "WanVideoTextEncodeSingle": ("prompt",),
}
"""Text encoders and the inputs holding their prompt text."""
ROLE_TEXT_INPUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "WanVideoTextEncode": {"positive": ("positive_prompt",), "negative": ("negative_prompt",)},
    "WanVideoTextEncodeCached": {"positive": ("positive_prompt",), "negative": ("negative_prompt",)},
}
"""Encoders putting both prompts into one output (kijai's WanVideoWrapper text embeds): role -> its inputs."""
TEXT_EMBEDS_INPUTS = ("text_embeds", "original_text_embeds")
"""Inputs carrying WanVideoWrapper text embeds (both prompts) into a sampler or pass-through (`WanVideoApplyNAG`)."""
GENERIC_TEXT_NAMES = ("text", "prompt", "text_g", "text_l", "t5xxl", "clip_l", "populated_text", "positive_prompt")
CLIP_LIKE_INPUTS = ("clip", "opt_clip", "T5", "t5", "chatglm3_model", "text_encoder", "llm")
ZERO_CONDITIONING = frozenset(
    {"ConditioningZeroOut", "StableZero123_Conditioning", "StableZero123_Conditioning_Batched", "SV3D_Conditioning"}
)
"""Conditioning that carries no prompt text (zeroed, or made from an image alone)."""
LOADER_TEXT_SLOTS: dict[str, dict[int, str]] = {
    "Efficient Loader": {1: "positive", 2: "negative"},
    "Eff. Loader SDXL": {1: "positive", 2: "negative"},
    "easy fullLoader": {4: "positive", 5: "negative"},
}
"""Loaders that encode prompt widgets themselves: output slot -> widget holding the text."""
PIPE_TEXT_LOADERS: dict[str, int] = {
    "Eff. Loader SDXL": 0,
    "easy fullLoader": 0,
    "easy a1111Loader": 0,
    "easy comfyLoader": 0,
    "easy fluxLoader": 0,
    "easy hunyuanDiTLoader": 0,
    "easy kolorsLoader": 0,
    "easy pixArtLoader": 0,
    "easy mochiLoader": 0,
}
"""Loaders that encode their `positive` and `negative` widgets into the pipe they output on this slot
(Efficiency's SDXL loader, Easy-Use's loaders); `easy fullLoader` outputs them on their own slots too."""

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

_CONTEXT_KEYS = ("model", "clip", "vae", "positive", "negative", "latent", "images", "seed")
_CONTEXT_BIG_KEYS = (
    *_CONTEXT_KEYS,
    *("steps", "step_refiner", "cfg", "ckpt_name", "sampler", "scheduler", "clip_width", "clip_height"),
    *("text_pos_g", "text_pos_l", "text_neg_g", "text_neg_l", "mask", "control_net", "denoise"),
)
CONTEXT_SLOTS: dict[str, tuple[str, ...]] = {
    "Context (rgthree)": ("", *_CONTEXT_KEYS),
    "Context Switch (rgthree)": ("", *_CONTEXT_KEYS),
    "Context Merge (rgthree)": ("", *_CONTEXT_KEYS),
    "Context Big (rgthree)": ("", *_CONTEXT_BIG_KEYS),
    "Context Switch Big (rgthree)": ("", *_CONTEXT_BIG_KEYS),
    "Context Merge Big (rgthree)": ("", *_CONTEXT_BIG_KEYS),
}
"""rgthree's Context nodes: output slot -> the field it carries (slot 0: the whole context). A Context node
outputs its own input of that name, else its `base_ctx`'s; a Context Switch the first linked `ctx_0N`; a
Context Merge the last one holding the field."""
CONTEXT_INPUTS = ("ctx_01", "ctx_02", "ctx_03", "ctx_04", "ctx_05")
SWITCH_CLASSES = frozenset({"ImpactConditionalBranch", "ImpactConditionalBranchSelMode"})
"""Switches whose class does not say "switch": Impact's conditional branch (`cond` picks `tt_value` or
`ff_value`)."""

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
        "WanCameraImageToVideo",
        "WanFunControlToVideo",
        "WanTrackToVideo",
        "Wan22ImageToVideoLatent",
        "CosmosPredict2ImageToVideoLatent",
        "HunyuanVideo15ImageToVideo",
        "WanPhantomSubjectToVideo",
        "WanAnimateToVideo",
        "Wan22FunControlToVideo",
        "WanSoundImageToVideo",
        "WanVideoEmptyEmbeds",
        "WanVideoImageToVideoEncode",
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
        "WebcamCapture",
        "ImageReceiver",
        "LoadLatent",
        "LatentReceiver",
    }
)
"""Nodes that bring an outside image into the graph: loaders of files, a webcam's picture (`WebcamCapture`),
Impact Pack's `ImageReceiver` (a picture another workflow sent, kept as a file), and the loaders of a saved
latent (`LoadLatent`, Impact's `LatentReceiver`: it may be any picture, encoded)."""
LOADER_PATTERN = re.compile(r"load.*(image|video|frame)|(image|video).*load", re.IGNORECASE)
LOADERISH_PATTERN = re.compile(r"load|upload|open|read|import|fetch|url|base64", re.IGNORECASE)
"""Class names that look like they bring something in (with a media file input: an image loader)."""
NOT_IMAGE_LOADER = re.compile(
    r"lora|checkpoint|ckpt|unet|vae|clip|control_?net|ipadapter|upscale|model|latent|lyco|t5|text_?encoder|"
    r"tokeni[sz]er",
    re.IGNORECASE,
)
"""Model/latent loaders whose names may match the loader patterns but never load pixels (kijai's
`LoadWanVideoT5TextEncoder` loads a text encoder, not a video)."""
MEDIA_FILE = re.compile(
    r"\.(png|jpe?g|jfif|webp|gif|bmp|tiff?|avif|heic|jxl|mp4|webm|mov|mkv|avi|m4v)(\s*\[\w+\])?\s*$", re.IGNORECASE
)
"""A value naming an image or video file (ComfyUI may append ' [input]' / ' [output]')."""
MEDIA_INPUT_NAMES = re.compile(r"image|img|upload|video|file|path|url|picture|photo|frame", re.IGNORECASE)

CORE_ENCODERS = frozenset({"VAEEncode", "VAEEncodeTiled", "VAEEncodeForInpaint", "InpaintModelConditioning"})
"""Pixel->latent nodes reported with module None (the plain img2img / inpaint path)."""
INPAINT_MARKERS = frozenset({"VAEEncodeForInpaint", "InpaintModelConditioning", "SetLatentNoiseMask"})
ENCODER_PATTERN = re.compile(r"VAEEncode|Encode.*Latent|StageC_VAEEncode", re.IGNORECASE)

CONTROLNET_LOADER_INPUT = "control_net_name"
CONTROLNET_APPLY = frozenset({"easy controlnetLoader", "easy controlnetLoaderADV", "easy controlnetLoader++"})
"""ControlNet apply nodes named otherwise (Easy-Use's, which load the ControlNet they name themselves)."""
CONTROLNET_STACK = re.compile(r"control[ _]?net.*stack|stack.*control[ _]?net|cnet_?stack", re.IGNORECASE)
"""ControlNet stacks (Efficiency's Control Net Stacker, Easy-Use's controlnetStack, Comfyroll's Multi-ControlNet
Stack): a hint image they hold is applied by the loader or apply node the stack feeds."""
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

FACE_SWAP_PATTERN = re.compile(r"face_?swap|swap_?face|roop|inswapper", re.IGNORECASE)
"""Face swap nodes (ReActor `ReActorFaceSwap`/`ReActorFaceSwapOpt`, FaceFusion `SwapFaceImage`,
InsightFace swappers, roop): they paste the face of a source image (or face model) into a picture."""
NOT_FACE_SWAP = re.compile(r"load|save|unload|option|restore|mask|detect|visuali[sz]", re.IGNORECASE)
"""Helpers of the face swap suites that swap nothing themselves."""
FACE_SWAPS = frozenset(
    {
        "ReActorFaceSwap",
        "ReActorFaceSwapOpt",
        "SwapFaceImage",
        "AdvancedSwapFaceImage",
        "SwapFaceVideo",
        "AdvancedSwapFaceVideo",
    }
)
"""Face swap nodes of known suites (ReActor, FaceFusion); others matching the pattern are ranked as
face swaps too, but still listed as not understood, so a person looks at them."""
FACE_SOURCE_INPUTS = re.compile(r"source|face", re.IGNORECASE)
"""A face swap node's inputs carrying the face (`source_image`, `face_model`); the rest is the picture."""
FACE_MODEL_LOADER = re.compile(r"load.*face_?(model|embed)", re.IGNORECASE)
"""Nodes loading a saved face (ReActor `ReActorLoadFaceModel`, `LoadFaceEmbeds`): a face from a file."""

IMAGE_EDITS = frozenset(
    {
        "ImageFlip",
        "ImageRotate",
        "ImageFromBatch",
        "RepeatImageBatch",
        "ImageAddNoise",
        "ResizeAndPadImage",
        "ReActorRestoreFace",
    }
)
"""Image edits besides those in `KNOWN_UTILITY` (resize, crop, blend, ...): the picture stays the input's."""

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
    "WanPhantomSubjectToVideo": ("images",),
    "WanAnimateToVideo": ("reference_image",),
    "Wan22FunControlToVideo": ("ref_image",),
    "WanVideoClipVisionEncode": ("image_1", "image_2", "negative_image"),
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
    "WanCameraImageToVideo": ("start_image",),
    "WanFunControlToVideo": ("start_image",),
    "WanTrackToVideo": ("start_image",),
    "Wan22ImageToVideoLatent": ("start_image",),
    "CosmosPredict2ImageToVideoLatent": ("start_image", "end_image"),
    "HunyuanVideo15ImageToVideo": ("start_image",),
    "LTXVAddGuide": ("image",),
    "WanSoundImageToVideo": ("ref_image",),
    "WanVideoImageToVideoEncode": ("start_image", "end_image"),
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

DECODERS = frozenset({"WanVideoDecode"})
"""Latent-to-image decoders not named *VAEDecode* (kijai's WanVideoWrapper): `samples` and `vae` inputs."""

UPSCALER_LOADERS: dict[str, str] = {"UpscaleModelLoader": "model_name"}
DETECTOR_LOADERS: dict[str, str] = {
    "UltralyticsDetectorProvider": "model_name",
    "SAMLoader": "model_name",
    "ONNXDetectorProvider": "model_name",
}
LORA_LIST_TAKERS = frozenset({"WanVideoModelLoader", "WanVideoSetLoRAs"})
"""Nodes whose `lora` input is the list a LoRA select node built (kijai's WANVIDLORA), not a file name: the LoRAs
are read from the select nodes."""
ZERO_SKIPPING_LORA_NODES = frozenset({"WanVideoLoraSelect", "WanVideoLoraSelectMulti", "WanVideoLoraSelectByName"})
"""LoRA nodes that leave out a LoRA set to strength 0 (kijai's WanVideoWrapper: `getlorapath`)."""
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
"""`control_after_generate` widget values stored right after a seed in the UI workflow (older ComfyUI
stored a "randomize" toggle there instead: true/false, see `groupnodes.is_control_value`)."""

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
    StableCascade_EmptyLatentImage HypernetworkLoader VAELoader T5v11Loader WanVideoDecode LoadWanVideoT5TextEncoder
    WanVideoVAELoader WanVideoBlockSwap WanVideoSetBlockSwap WanVideoTorchCompileSettings WanVideoSetLoRAs
    WanVideoScheduler WanVideoSchedulerv2 WanVideoApplyNAG WanVideoTextEmbedBridge""".split()
)
"""Node types understood without a role of their own (plumbing the walks follow or ignore)."""
