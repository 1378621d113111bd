"""Messages about people lists (花名册) as stations keep them: notes and refusals of the reader."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "people.note": ("说明", "note"),
    "people.sep": ("、", ", "),
    # title rows above the header
    "people.title_skipped": ("第 {row} 行“{text}”是表头上方的标题，已跳过；表头在第 {header} 行",
                             "row {row} ('{text}') is a title above the header, skipped; the header is row {header}"),
    "people.above_header": ("第 {row} 行在表头（第 {header} 行）上方，但不是标题（有 {n} 个单元格有内容）："
                            "请删除表头上方的行，让表头成为第一行",
                            "row {row} is above the header (row {header}) but is not a title ({n} cells filled): "
                            "delete the rows above the header, so that the header is the first row"),
    "people.title_row": ("第 {row} 行“{text}”像是标题，不是表头：请删除标题行，让表头（{headers}）成为第一行",
                         "row {row} ('{text}') looks like a title, not the header: delete the title row, so that "
                         "the header ({headers}) is the first row"),
    # columns the product does not use
    "people.ignored_columns": ("以下列本系统不使用，已忽略：{columns}", "columns dutydesk does not use, ignored: {columns}"),
    "people.column_at": ("{name}（{column}列）", "{name} (column {column})"),
    # years of service
    "people.seniority_from": ("工龄按“{column}”计算到 {today}（满一年算一年）{fallback}",
                              "years of service are counted from '{column}' to {today} (whole years){fallback}"),
    "people.seniority_fallback": ("；该列为空时用“{columns}”", "; where it is empty, from '{columns}'"),
    "people.seniority_year": ("“{column}”只有年份：工龄按 {year} 年减去入警年份计算",
                              "'{column}' gives only a year: years of service are {year} minus that year"),
    "people.start_future": ("{value} 在今天（{today}）之后；请写参加工作或入警的日期",
                            "{value} is after today ({today}); write the date work or police service began"),
    "people.not_a_year": ("“{value}”不是年份；请写四位数年份，如 2010", "'{value}' is not a year; write it like 2010"),
    "people.year_range": ("{value} 不在 1950 年到今年（{year}）之间", "{value} is not between 1950 and this year ({year})"),
    "people.not_a_start": ("“{value}”不是日期；请写 2010-07-01、2010年7月 或 2010-07",
                           "'{value}' is not a date; write it like 2010-07-01, 2010年7月 or 2010-07"),
    # person types
    "people.generic_aux": ("“{value}”不明确：勤务辅警还是文职辅警？请写“勤务辅警”或“文职辅警”"
                           "（文职辅警不能上执法岗位）",
                           "'{value}' is ambiguous: 勤务辅警 (duty auxiliary) or 文职辅警 (civilian auxiliary)? Write "
                           "one of them (a civilian auxiliary may not take enforcement posts)"),
    # expiry dates
    "people.not_an_expiry": ("“{value}”不是日期；请写 2027-06-30、2027年6月30日，或只写月份 2027年6月、2027-06"
                             "（算到当月最后一天）",
                             "'{value}' is not a date; write it like 2027-06-30 or 2027年6月30日, or a month alone: "
                             "2027年6月 or 2027-06 (read as the month's last day)"),
}
