"""The dashboard's words in English and Chinese.

Chinese terms follow the source study (shared/seed/000_*.txt, §4(一)): 党总支, 党支部 (by 行政村
or by 楼幢小区), 流动、外来党员支部, 股份经济合作社, 物业管理公司, 业主委员会, 居委会, 社区团支部,
社区妇代会, 社区老年协会, 社区工会; 集体代缴 for the collectives paying the fee (方案一 经费).
"""

from __future__ import annotations

from resettle.text.labels import SCENARIO_NAMES, check_lang

TEXT = {
    "en": {
        "title": "resettle: a wholesale-resettlement community",
        "scenario_name": "Scenario",
        "property_fee_payer": "Who pays the property fee",
        "branch_basis": "Party branches by",
        "property_company": "Property company",
        "training_capacity": "Training capacity (seats)",
        "switch": "Switch",
        "switch_year": "Switch after year",
        "horizon_years": "Horizon (years)",
        "confidence_bound": "Confidence bound ε (0..1)",
        "outside_job_rate": "Outside job finding (per month)",
        "fee_neighbour_weight": "Neighbours' pull on paying",
        "transition_months": "Institutional transition (months)",
        "seed": "Seed",
        "headline": "Headline metrics",
        "maturity": "Organisational maturity and its sub-scores",
        "signposts": "Signposts of the switch against their thresholds (dashed; shaded: when "
                     "it may switch)",
        "residents": "Residents by building (outline: building's main village)",
        "organisations": "Organisations: founded → dissolved",
        "year": "year",
        "share": "share (0..1)",
        "status": ("Month {month} of {months} (year {year}) — {scenario}. "
                   "{values}."),
        "invalid": "These settings were rejected, so the model is stopped: {message}",
        "colour_by": "Colour residents by",
        "attitude": "attitude",
        "employment": "employment",
        "village": "village",
        "employed": "employed",
        "not_employed": "not employed (working age)",
        "not_working_age": "under 16 or over 59",
        "month": "month",
        "list_separator": "; ",
        "key_value": "{name}: {value}",
        "use_sliders": "Use the sliders' numbers (off: the scenario file's)",
        "after_switch": "After the switch, Scheme 2's levers: ",
        "in_force": "In force (applied at the last Reset) — {settings}.",
    },
    "zh": {
        "title": "resettle：整体安置型社区模拟",
        "scenario_name": "方案",
        "property_fee_payer": "物业管理费由谁缴纳",
        "branch_basis": "党支部设置",
        "property_company": "物业管理公司",
        "training_capacity": "就业培训名额（人）",
        "switch": "方案转换",
        "switch_year": "第几年后转换",
        "horizon_years": "模拟年限（年）",
        "confidence_bound": "观念接受阈值 ε（0..1）",
        "outside_job_rate": "社区外就业概率（每月）",
        "fee_neighbour_weight": "邻里对缴费的影响权重",
        "transition_months": "组织过渡时间（月）",
        "seed": "随机种子",
        "headline": "主要指标",
        "maturity": "组织成熟度及其分项",
        "signposts": "转换信号及其阈值（虚线；阴影：可转换的时段）",
        "residents": "按楼幢显示居民（边框：该楼主要来自的行政村）",
        "organisations": "组织：成立 → 撤销",
        "year": "年",
        "share": "比例（0..1）",
        "status": "第 {month} 个月，共 {months} 个月（第 {year} 年）— {scenario}。{values}。",
        "invalid": "设置未通过校验，模型已停止：{message}",
        "colour_by": "居民着色依据",
        "attitude": "观念转变",
        "employment": "就业",
        "village": "行政村",
        "employed": "就业",
        "not_employed": "未就业（劳动年龄）",
        "not_working_age": "16岁以下或59岁以上",
        "month": "月",
        "list_separator": "，",
        "key_value": "{name}：{value}",
        "use_sliders": "使用滑块的数值（关闭则用方案文件的数值）",
        "after_switch": "已转换，按方案二的设置：",
        "in_force": "当前生效的设置（上次重置时应用）— {settings}。",
    },
}

CHOICES = {
    "en": {
        "as_scenario": "as the scenario file says",
        "collective": "collectives pay (Scheme 1)", "households": "owners pay (Scheme 2)",
        "village": "village (Scheme 1)", "building": "building area (Scheme 2)",
        "community": "community-run (Scheme 1)",
        "spun_off": "spun off, independent (Scheme 2, way 2)",
        "outsourced": "outside firm (Scheme 2, way 1)",
        "none": "no switch", "scheme2": "to Scheme 2 after the year below",
    },
    "zh": {
        "as_scenario": "按方案文件设定",
        "collective": "村集体代缴（方案一）", "households": "业主自缴（方案二）",
        "village": "按原行政村（方案一）", "building": "按楼幢小区（方案二）",
        "community": "社区物业公司（方案一）", "spun_off": "独立注册的股份制企业（方案二·办法二）",
        "outsourced": "引进外部物业管理公司（方案二·办法一）",
        "none": "不转换", "scheme2": "在下列年份后转为方案二",
    },
}

# the villages as the source names them (§1: 里段村、外段村、六村和林家村)
VILLAGES_ZH = {"Liduan": "里段村", "Waiduan": "外段村", "Liu": "六村", "Linjia": "林家村"}

ORGANISATIONS_EN = {"GeneralBranch": "general branch",
                    "ResidentsCommittee": "residents' committee"}
ORGANISATIONS_ZH = {
    "GeneralBranch": "社区党总支", "ResidentsCommittee": "社区居委会",
    "women's congress": "社区妇代会", "elderly association": "社区老年协会",
    "trade union": "社区工会", "youth league": "社区团支部",
}


NAMED_ZH = {"cooperative": "{village}股份经济合作社", "village": "{village}党支部",
            "building": "第{n}小区党支部", "other": "流动、外来党员及社区机关党支部 {n}"}
COMPANY_ZH = {"community": "社区物业公司", "spun_off": "独立注册的物业公司",
              "outsourced": "外部物业管理公司"}


def text(key: str, lang: str, **values) -> str:
    """A dashboard string in ``lang``, formatted with ``values``."""
    return TEXT[check_lang(lang)][key].format(**values)


def choice_label(code: str, lang: str) -> str:
    """How a choice (``collective``, ``spun_off``…) is shown in ``lang``."""
    return CHOICES[check_lang(lang)].get(code, code)


def _code_of(shown: str, tables: dict[str, dict[str, str]]) -> str:
    """The key whose label, in any language's table, is ``shown`` (else ``shown`` itself)."""
    for table in tables.values():
        for code, label in table.items():
            if shown == label:
                return code
    return shown


def choice_code(shown: str) -> str:
    """The choice behind a shown label in either language (a code is returned as it is)."""
    return _code_of(shown, CHOICES)


def scenario_code(shown: str) -> str:
    """The scenario name behind a shown label in either language (a name as it is)."""
    return _code_of(shown, SCENARIO_NAMES)


def village_label(name: str, lang: str) -> str:
    """A village's name in ``lang`` (the source's Chinese names, BRIEF §1)."""
    return VILLAGES_ZH.get(name, name) if check_lang(lang) == "zh" else name


def organisation_label(entry: dict, lang: str) -> str:
    """An organisation in the dashboard's log, named in ``lang``."""
    return entry["names"][check_lang(lang)]


def organisation_names(agent, village_names: tuple[str, ...], others: int) -> dict[str, str]:
    """{"en": name, "zh": name} of an organisation agent, from its fields (``others``: how many
    branches for mobile, moved-in and office members exist before this one)."""
    kind = type(agent).__name__
    if kind == "PartyBranch":
        return _branch_names(agent, village_names, others)
    if kind == "Cooperative":
        village = village_names[agent.village]
        return {"en": f"{village} cooperative",
                "zh": NAMED_ZH["cooperative"].format(village=VILLAGES_ZH.get(village, village))}
    if kind == "PropertyCompany":
        return {"en": f"property company ({agent.status})", "zh": COMPANY_ZH[agent.status]}
    if kind == "MassOrganisation":
        return {"en": agent.kind, "zh": ORGANISATIONS_ZH[agent.kind]}
    return {"en": ORGANISATIONS_EN[kind], "zh": ORGANISATIONS_ZH[kind]}


def _branch_names(branch, village_names: tuple[str, ...], others: int) -> dict[str, str]:
    if branch.basis == "village":
        village = village_names[branch.zone]
        return {"en": f"{village} village branch",
                "zh": NAMED_ZH["village"].format(village=VILLAGES_ZH.get(village, village))}
    if branch.basis == "building":
        return {"en": f"building area {branch.zone + 1} branch",
                "zh": NAMED_ZH["building"].format(n=branch.zone + 1)}
    return {"en": f"branch for mobile, moved-in and office members {others + 1}",
            "zh": NAMED_ZH["other"].format(n=others + 1)}
