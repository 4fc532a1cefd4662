"""The edit keys of a text field in the order they were typed, when keys arrive in one burst.

Textual (8.2) inserts a letter in the field that has the focus as soon as the field reads its key, but runs the
field's own bound keys (Backspace, the arrows, Home, Ctrl+U, ...) only once their key has bubbled up to the app,
after the field has read the keys that came with it. Keys arrive together over a slow SSH link, or when a loaded
machine reads them late: `ab⌫c` came out `ab` (the `c` in, then erased), `hello←←X` came out `helloX`, and a
path typed over with `Ctrl+U` and a new name came out empty. `run_own_binding` runs such a key's binding where the
field reads it, in its place among the letters; every other key goes its usual way.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


async def run_own_binding(field: Widget, event: events.Key) -> bool:
    """Run the focused `field`'s own (not priority) binding of the key now, as the app would have run it once the
    key reached it (the focused widget's binding comes first there too); True when one ran, the key then spent."""
    if not field.has_focus or event.is_printable:
        return False
    for binding in field._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await field.app.run_action(binding.action, field):
            event.stop()
            event.prevent_default()
            return True
    return False
