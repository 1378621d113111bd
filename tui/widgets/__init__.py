"""Small widgets and helpers shared by the screens."""
from tui.widgets.bar import SolveBar
from tui.widgets.tables import cursor_key, move_to_key, row_keys, set_columns, sync_rows
from tui.widgets.text import clip, fit_list, fit_parts, pad

__all__ = ["SolveBar", "cursor_key", "move_to_key", "row_keys", "set_columns", "sync_rows", "clip", "fit_list",
           "fit_parts", "pad"]
