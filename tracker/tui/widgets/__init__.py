"""Widgets the TUI's screens share: `choices` (check boxes, radio buttons and selection lists whose marks read
without colour), `facts` (a post's generation facts as text), `line_input` (the one-line field: a paste of several
lines kept whole), `message_area` (the text area a message is pasted into), `preview` (a picture in the terminal),
`table` (the data table and the widths of its columns), `text_box` (the text box of the forms and of the letter),
`footer_room` (which keys a footer too narrow for them all leaves out, so that F1 Help stays), `key_order` (a
field's edit keys typed in one burst with letters run in their order)."""
