"""Reading an image file's embedded metadata: how the image says it was made.

This package owns everything between an image file on disk and the normalized record of its
generation; nothing here stores, shows or judges what it read. `reader.read_image` is the one
entry point the rest of the application uses: it decodes the file once (`decoding.decode_file`:
the checks every untrusted file goes through, and all a search needs), collects every piece of
embedded text and hands the fields to the generator parsers in turn.

- Containers: `containers` pulls every text field out of PNG chunks, EXIF, XMP and JPEG comments
  exactly as found; `fields.Fields` is the by-key view every parser takes; `xmp` finds named properties
  in an XMP packet without an XML parser, and `xmp_records` hands a record a re-saving tool moved into
  XMP to its generator's reader; `problems` words the reading problems that mean metadata was found
  but not read.
- One module per generator: `a1111` (A1111/Forge "infotext", also used by other parsers;
  `webui_versions` tells which tool of that family wrote it: Forge, reForge, SD.Next, ...),
  `novelai`, `fooocus`, `drawthings`, `easydiffusion`, `swarmui`, `other` (front-ends without a
  label of their own), the `invokeai/` package (one module per generation of its metadata) and
  the `comfyui/` package (graphs rather than parameters);
  `jsonsafe` holds the helpers the JSON-writing ones share for untrusted JSON.
- Hidden pixel metadata: `stealth` reads parameters hidden in the pixels' least significant
  bits; `pngpixels` decodes ordinary PNG pixels faster where `pyspng` is installed.
- The record: `info.GenerationInfo` (with `ResourceRef` and `TechniqueRef`) is what every
  parser returns, whatever the generator wrote.

May import: `tracker.errors`, `tracker.support.user_files` (reading untrusted files; the standard library
only) and the standard library, Pillow, numpy, pyspng when installed.
Never the database, click, textual or rich: reading a file must work, and be testable, without
the application around it.
"""
