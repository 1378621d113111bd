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

    # reading the file (stationdef/people_file.py)
    "people.file.not_a_file": ("不是文件（是文件夹或设备？）；请给出 .csv 或 .xlsx 文件",
                               "not a file (a folder or a device?); give a .csv or .xlsx file"),
    "people.file.too_large": ("文件有 {mb} MB；一个派出所的人员或请假名单远小于此（最多 {max} MB），请确认选对了文件",
                              "the file is {mb} MB; a list of a station's people or leave is far smaller (at most "
                              "{max} MB)"),
    "people.file.bad_type": ("不支持的文件类型“{suffix}”；请另存为 .xlsx 或 .csv", "unsupported file type '{suffix}'; use .xlsx or .csv"),
    "people.file.cannot_decode": ("无法识别文件的编码；请另存为 UTF-8 编码的 CSV", "cannot decode the file; save it as UTF-8"),
    "people.file.too_big": ("共 {rows} 行、最多 {cols} 列；最多读取 {max_rows} 行、{max_cols} 列",
                            "{rows} rows of up to {cols} columns; at most {max_rows} rows of {max_cols} columns are read"),
    "people.file.empty": ("文件为空；第一行须为表头（如 警号、姓名、性别、人员类别）", "the file is empty; a header row is needed"),
    "people.file.empty_sheet": ("第一个工作表为空；第一行须为表头（如 警号、姓名、性别、人员类别）",
                                "the sheet is empty; a header row is needed"),
    "people.file.bad_csv": ("不是有效的 CSV 文件：{detail}；含逗号、引号或换行的单元格请用英文双引号 \"...\" 括起来，其中的引号写两遍",
                            "not a valid CSV file: {detail}; quote fields that hold commas, quotes or line breaks with "
                            "\"...\", and double the quotes inside"),
    "people.file.bad_xlsx": ("不是可读取的 XLSX 工作簿（{detail}）；请用 Excel 或 WPS 打开后另存为 .xlsx",
                             "not a readable XLSX workbook ({detail})"),
    "people.file.damaged_xlsx": ("XLSX 工作簿已损坏（{detail}）；请用 Excel 或 WPS 打开后重新保存",
                                 "the XLSX workbook is damaged ({detail}); save it again from Excel"),
    "people.file.too_many_rows": ("共 {n} 行；最多读取 {max} 行", "{n} rows; at most {max} are read"),
    # the header
    "people.file.unknown_column": ("不认识的列“{header}”；可用的列有：{expected}", "unknown column '{header}'; expected some of: {expected}"),
    "people.file.column_choice": ("{field}（{headers}）", "{field} ({headers})"),
    "people.file.column_twice": ("“{field}”列出现了两次；请删除其中一列", "column for '{field}' appears twice"),
    "people.file.required_missing": ("缺少必填列“{field}”（表头写 {headers}）", "required column '{field}' is missing (header {headers})"),
    # cells
    "people.file.date_cell": ("此处应为文字，却是日期/时间单元格（{value}）；请把该列设置为“文本”格式后重新输入",
                              "a date/time cell ({value}) where text is expected; format the column as text (文本) and "
                              "type the value again"),
    "people.file.bool_cell": ("此处应为{what}，却是 TRUE/FALSE（逻辑值）单元格；请改为文字", "a TRUE/FALSE cell where {what} is expected"),
    "people.file.what_text": ("文字", "text"),
    "people.file.what_number": ("数字", "a number"),
    "people.file.not_finite": ("{value} 不是有效的数字；请填写数字", "{value} is not a number a clerk would write"),
    "people.file.the_field": ("“{field}”", "the {field}"),
    # rows
    "people.badge_twice": ("警号“{badge}”重复（第 {row} 行也有）；每人只能出现一次", "badge '{badge}' appears twice (also row {row})"),
    "people.name_empty": ("姓名为空", "name is empty"),
    "people.unknown_team": ("未定义的队室“{team}”；请写其中之一：{known}", "unknown team '{team}'; use one of: {known}"),
    "people.years_implausible": ("工龄 {years} 年不合理（超过50年）；请核对参加工作或入警时间",
                                 "{years} years of service is not plausible"),
    "people.unknown_skill": ("未定义的技能“{skill}”；可用的有：{known}", "unknown skill '{skill}'; known: {known}"),
    "people.sworn_only_skill": ("技能“{name}”（{code}）只能由民警持有", "skill '{name}' ({code}) can only be held by a 民警"),
    "people.expiry_of": ("技能“{skill}”的有效期：{problem}", "expiry of '{skill}': {problem}"),
    "people.none_listed": ("名单中没有人员；表头下面至少要有一行", "no people in the list"),
}
