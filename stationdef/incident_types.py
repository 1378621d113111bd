"""The incident type catalogue (警情类别): default priority and the team each type needs.

Team needs follow DESIGN.md §3: questioning, inspection and search need at least 2 民警
(《公安机关办理行政案件程序规定》第52条第1款); intake, registration and mediation may be 1 民警
leading 辅警 with recording (第52条第2款); a search of a woman needs female staff
(《治安管理处罚法》). Priority 1 is the most urgent.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IncidentType:
    code: str
    name: str
    name_en: str
    priority: int
    min_sworn: int
    needs_woman: bool = False
    needs_recording: bool = False
    skills: tuple[str, ...] = ()          # preferred skills (a unit with them ranks higher)
    required_skills: tuple[str, ...] = ()  # the unit must hold these
    min_people: int = 2


CATALOGUE: list[IncidentType] = [
    IncidentType("fight", "打架斗殴", "Fight", 1, 2, min_people=3),
    IncidentType("domestic", "家庭暴力", "Domestic violence", 1, 2, needs_woman=True, needs_recording=True,
                 skills=("mediation",)),
    IncidentType("theft", "盗窃", "Theft", 2, 2, needs_recording=True, skills=("case",)),
    IncidentType("fraud", "诈骗预警劝阻", "Fraud warning", 2, 1, skills=("antifraud",)),
    IncidentType("traffic", "交通事故", "Traffic accident", 2, 1, required_skills=("traffic",),
                 skills=("licensing",)),
    IncidentType("suspicious", "可疑人员", "Suspicious person", 2, 2),
    IncidentType("missing", "人员走失", "Missing person", 2, 1),
    IncidentType("dispute", "纠纷", "Dispute", 3, 1, needs_recording=True, skills=("mediation",)),
    IncidentType("help", "求助", "Request for help", 3, 1),
    IncidentType("noise", "噪音扰民", "Noise nuisance", 4, 1, needs_recording=True),
    IncidentType("other", "其他", "Other", 4, 1),
]
BY_CODE = {t.code: t for t in CATALOGUE}
