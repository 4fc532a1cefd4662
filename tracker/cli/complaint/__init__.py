"""`tracker complaint ...`: the commands about complaints, one module per command or two, and how they print.

- `commands`: `complaint list|show|decide|confirm`, and the `complaint` group that loads the others when they are
  called: `add` (`complaint add`: log a complaint as it arrived), `corrections` (`complaint set`: correct what intake
  got wrong, the reply language), `message` (`complaint message`: a later message from the sender), `close`
  (`complaint close --duplicate-of`) and `reply` (`complaint reply`: the letter, and recording it sent);
- `text`: a complaint as text (`complaint show`, `complaint add`); `table`: `complaint list`'s table, fitted to the
  terminal; `history`: `complaint show`'s history and the letters it was answered with.
"""
