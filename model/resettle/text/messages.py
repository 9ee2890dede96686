"""Every sentence, heading, caption and axis label of the reports and figures, in English and
Chinese, keyed by message id.

Numbers are formatted by the templates' format specs, which are the same in both languages
(tested), so a Chinese and an English report of the same run carry the same digits. Chinese
terms follow the source study (``shared/seed/000_*.txt``): 方案一 / 方案二, 过渡期, 物业管理费,
观念转变, 组织成熟度, 社区稳定 (see :mod:`resettle.text.labels`); statistical terms are the usual
ones (置信区间, 中位数, 配对差值, 效应量, 敏感性分析).
"""

from __future__ import annotations

import math

import pandas as pd

from resettle.text.labels import check_lang, metric_label, scenario_label

MESSAGES: dict[str, dict[str, str]] = {
    # ---- headings shared by the reports
    "h.summary": {"en": "Summary", "zh": "摘要"},
    "h.figures": {"en": "Figures", "zh": "图"},
    "h.table": {"en": "Table", "zh": "表"},
    "sep": {"en": ", ", "zh": "、"},
    # ---- compare
    "compare.title": {"en": "Comparison of {names}", "zh": "方案比较：{names}"},
    "compare.method": {
        "en": "{reps} replications per scenario, root seed {seed}; replication i uses the same "
              "seed in every scenario, so differences are paired. Intervals are 95% bootstrap "
              "CIs (BCa; 9999 resamples of the replications, drawn once and shared by the "
              "intervals); tests are Wilcoxon signed-rank on the paired replications; effect "
              "sizes are Cohen's d_z.",
        "zh": "每个方案 {reps} 次重复模拟，根种子 {seed}；第 i 次重复在各方案中使用同一种子，"
              "因此差值是配对的。区间为 95% bootstrap 置信区间（BCa；对重复模拟做 9999 次重抽样，"
              "抽取一次，各区间共用）；检验为配对重复的 "
              "Wilcoxon 符号秩检验；效应量为 Cohen's d_z。"},
    "compare.seeds": {
        "en": "Seeds: numpy.random.SeedSequence({seed}).spawn({reps}); every replication's "
              "seed is listed in manifest.json (seeds), and on every row of monthly.parquet. "
              "The first: {first}.",
        "zh": "种子：numpy.random.SeedSequence({seed}).spawn({reps})；每次重复的种子列于 "
              "manifest.json（seeds）以及 monthly.parquet 的每一行。前几个：{first}。"},
    "h.scenarios": {"en": "Scenarios", "zh": "方案"},
    "compare.scenario": {"en": "{name}: {description} (files: {files}{switch})",
                         "zh": "{name}：{description}（文件：{files}{switch}）"},
    "compare.switch": {"en": "; switch after year {year}", "zh": "；第 {year} 年后切换"},
    "compare.trigger": {"en": "; switch {rule}", "zh": "；{rule}时切换"},
    "trigger.rule": {
        "en": "when {conditions} in each of {hold} month(s) in a row, not before the end of "
              "year {earliest}{latest}",
        "zh": "当{conditions}连续 {hold} 个月成立（不早于第 {earliest} 年末{latest}）"},
    "trigger.and": {"en": " and ", "zh": "且"},
    "trigger.latest": {"en": ", at the latest after year {year}", "zh": "，最迟第 {year} 年后"},
    "h.switch": {"en": "When the switch came", "zh": "何时切换"},
    "switch.spread": {
        "en": "{scenario}: switched in {switched} of {reps} replications; switch month median "
              "{median:.0f} (year {year}), 10th-90th percentile {p10:.0f}-{p90:.0f}, earliest "
              "{earliest:.0f}, latest {latest:.0f}.",
        "zh": "{scenario}：{reps} 次重复中 {switched} 次发生切换；切换月份中位数 {median:.0f}"
              "（第 {year} 年），第 10-90 百分位 {p10:.0f}-{p90:.0f}，最早 {earliest:.0f}，"
              "最晚 {latest:.0f}。"},
    "switch.never": {
        "en": "{scenario}: did not switch within the horizon in any of {reps} replications.",
        "zh": "{scenario}：{reps} 次重复均未在模拟期内切换。"},
    "switch.note": {
        "en": "The switch month is the first month the switch's levers were in force (month "
              "12Y + 1 for a switch after year Y). A triggered switch comes when its signposts "
              "have held, so its month differs between replications; the metrics below mix "
              "replications that switched at different times. switch_months.csv lists every "
              "replication's switch month.",
        "zh": "切换月份指转换后的设置首次生效的月份（第 Y 年后切换即第 12Y + 1 个月）。按信号"
              "触发的切换在信号持续成立时发生，因此各次重复的切换月份不同；下文各指标混合了在"
              "不同时间切换的重复。switch_months.csv 列出每次重复的切换月份。"},
    "compare.built_in": {"en": "built-in", "zh": "内置默认值"},
    "h.evidence": {"en": "Evidence by metric and milestone year",
                   "zh": "各指标在关键年份的结果"},
    "h.early": {"en": "Early years ({years}): mean over the window",
                "zh": "前几年（第 {years} 年）：期间平均"},
    "h.precision": {"en": "Monte-Carlo precision", "zh": "蒙特卡洛精度"},
    "h.sources": {"en": "Where the differences come from", "zh": "差异从何而来"},
    "sources.intro": {
        "en": "Maturity is the weighted mean of five sub-scores, each measured from what "
              "residents, cadres and organisations did (docs/ODD.md §7.12). The table splits "
              "each scenario's maturity difference against {baseline} at year {year} into "
              "the sub-scores' weighted contributions. A difference marked 'by definition' "
              "follows from what the schemes are, not from behaviour; one marked 'in part "
              "by definition' follows partly so:",
        "zh": "组织成熟度是五个分项的加权平均，每个分项都由居民、干部和组织的实际行为测得"
              "（docs/ODD.md §7.12）。下表把各方案第 {year} 年与{baseline}的成熟度差值分解为"
              "各分项的加权贡献。标注“由定义决定”的差值来自方案本身的规定，而非行为；标注“部分由定义决定”"
              "的差值部分如此："},
    "col.subscore": {"en": "sub-score", "zh": "分项"},
    "col.contribution": {"en": "contribution to the maturity difference",
                         "zh": "对成熟度差值的贡献"},
    "col.source": {"en": "source", "zh": "来源"},
    "source.behaviour": {"en": "behaviour", "zh": "行为"},
    "source.definition": {"en": "by definition", "zh": "由定义决定"},
    "source.definition_part": {"en": "in part by definition", "zh": "部分由定义决定"},
    "definition.bill": {
        "en": "fee compliance compares different bills: under Scheme 1 households are billed "
              "only the sanitation and maintenance fees, under Scheme 2 the property fee too; "
              "the share of the full fee households pay themselves (own_fee_share) is the "
              "like-for-like measure",
        "zh": "物业管理费缴纳率比较的是不同的账单：方案一中居民只需缴纳卫生费和维修费，方案二中还"
              "要缴纳物业管理费；可比的指标是居民自缴费用占全部费用的比例（own_fee_share）"},
    "definition.payer": {
        "en": "fee collection counts what the collectives pay on households' behalf, which "
              "Scheme 1 prescribes and Scheme 2 ends",
        "zh": "物业管理费收缴率包含集体代缴的部分，而代缴是方案一的规定、方案二所取消的"},
    "definition.own_share": {
        "en": "self-government includes the share of the full fee households pay themselves, "
              "which is low under Scheme 1 because the collectives pay the property fee",
        "zh": "居民自治分项包含居民自缴费用的比例，而方案一中物业管理费由集体代缴，该比例自然偏低"},
    "definition.channels": {
        "en": "self-government includes the shares of matters taken to and resolved by the "
              "residents' committee or the reception, which rise under Scheme 2 in part "
              "because its building branches leave no village branch to take a matter to",
        "zh": "居民自治分项包含由居委会或信访接待处理的事项比例；方案二按楼宇设支部，"
              "居民已无村支部可找，该比例因此部分地自然上升"},
    "sources.summary": {
        "en": "{scenario}: of the maturity difference of {total:+.3f}, {marked:+.3f} comes from "
              "sub-scores marked by definition, wholly or in part, and {behaviour:+.3f} from the "
              "others.",
        "zh": "{scenario}：成熟度差值 {total:+.3f} 中，{marked:+.3f} 来自全部或部分由定义决定"
              "的分项，{behaviour:+.3f} 来自其余分项。"},
    "sources.assumptions": {
        "en": "These are means over replications at one set of assumptions. Which assumptions "
              "decide the ranking of the schemes, and how often Scheme 2 comes out ahead "
              "across their plausible ranges, is in docs/ODD.md §7.13 (a Morris screening, "
              "scenarios/sweeps/ranking_morris.toml).",
        "zh": "以上是在一组假设下各次重复的均值。哪些假设决定两种方案的优劣排序、在其合理范围内"
              "方案二胜出的频率，见 docs/ODD.md §7.13（Morris 筛选，"
              "scenarios/sweeps/ranking_morris.toml）。"},
    "definition.separation": {
        "en": "separation follows from the schemes' definitions: it counts the collectives' "
              "payments for the community's services (Scheme 1 prescribes the payment on "
              "behalf, so a collective that cannot pay raises the score) and branch "
              "secretaries chairing cooperatives (only Scheme 2's corporatisation replaces "
              "them; behaviour, through members' readiness, sets only its pace)",
        "zh": "社企分开分项由方案定义决定：它统计集体为社区服务付费（方案一规定代缴，集体无力支付时"
              "该分项反而上升）以及支部书记兼任合作社负责人（只有方案二的企业化运作会聘任职业经理人"
              "取而代之；行为仅通过股东的准备程度决定其快慢）"},
    "h.assumptions": {"en": "Assumptions and every parameter used", "zh": "假设与全部参数"},
    "compare.differ_first": {"en": "Parameters that differ between scenarios come first.",
                             "zh": "各方案取值不同的参数排在前面。"},
    "precision": {
        "en": "With N = {reps} replications per scenario, the widest 95% CI half-width of a "
              "milestone mean is {width:.4f} ({metric}, year {year}, {scenario}). Target "
              "half-width: {target} (assumption: one percentage point on 0..1 metrics). "
              "{verdict} Paired differences are tighter than the means because replications "
              "share seeds (common random numbers).",
        "zh": "每个方案 N = {reps} 次重复时，关键年份均值的 95% 置信区间半宽最大为 {width:.4f}"
              "（{metric}，第 {year} 年，{scenario}）。目标半宽：{target}（假设：0..1 指标上的"
              "一个百分点）。{verdict}由于各次重复共用种子（共同随机数），配对差值比均值更精确。"},
    "precision.mc_only": {
        "en": "These intervals describe Monte-Carlo (replication) noise only, not uncertainty "
              "about the assumptions. The spread over plausible worlds, and which policy holds "
              "up across them, is for resettle worlds and resettle decide (ODD §6.4-§6.5); how "
              "each assumption moves the results, for a sweep (resettle sweep, resettle "
              "analyze; ODD §7.13).",
        "zh": "这些区间只反映蒙特卡洛（重复模拟）噪声，不反映对假设的不确定性。在各种合理世界中"
              "的分布、以及哪种政策在这些世界中都站得住，须由 resettle worlds 和 resettle decide "
              "回答（ODD §6.4-§6.5）；各项假设如何影响结果，须由参数扫描回答（resettle sweep、"
              "resettle analyze；ODD §7.13）。"},
    "precision.rounds": {
        "en": "Replications were added in rounds until every reported 95% CI half-width "
              "(milestone means, paired differences, early years) was at most {target}, with "
              "N between {least} and {most}: {rounds}.",
        "zh": "按轮次增加重复次数，直到报告中每个 95% 置信区间的半宽（关键年份均值、配对差值、"
              "前几年）都不超过 {target}，N 介于 {least} 与 {most} 之间：{rounds}。"},
    "list.sep": {"en": "; ", "zh": "；"},
    "sentence.sep": {"en": " ", "zh": ""},
    "precision.round": {"en": "N = {n} (widest {width:.4f})", "zh": "N = {n}（最宽 {width:.4f}）"},
    "precision.reached": {"en": "The target was reached at N = {n}.",
                          "zh": "在 N = {n} 时达到目标。"},
    "precision.not_reached": {
        "en": "The target {target} was not reached: the rounds stopped at the most allowed, "
              "N = {n}.",
        "zh": "未达到目标 {target}：轮次在允许的最大值 N = {n} 处停止。"},
    "precision.rule": {
        "en": "Stopping rule: the first round whose widest half-width is at most the target "
              "(a fixed-width sequential interval, Chow & Robbins 1965: its coverage is the "
              "nominal 95% as the target goes to 0, and may be slightly lower for a wide "
              "target); each round's N is what the widest interval needs if its width falls "
              "as 1/sqrt(N), at most {growth} times the last.",
        "zh": "停止规则：第一个最宽半宽不超过目标的轮次即停止（固定宽度序贯区间，Chow & Robbins "
              "1965：目标趋于 0 时覆盖率为名义的 95%，目标较宽时可能略低）；每轮的 N 按最宽区间"
              "的宽度随 1/sqrt(N) 缩小所需的 N 计算，至多为上一轮的 {growth} 倍。"},
    "precision.plain": {"en": "The tables are those of a plain comparison with the final N.",
                        "zh": "各表与以最终 N 直接比较所得相同。"},
    "precision.enough": {"en": "N was enough for every mean.", "zh": "N 对每个均值都足够。"},
    "precision.short": {"en": "N was not enough for every mean: the target needs N = {need}.",
                        "zh": "N 并非对每个均值都足够：达到目标需要 N = {need}。"},
    "caption.over_time": {
        "en": "{metric}: median with 50% and 90% bands over {reps} replications",
        "zh": "{metric}：{reps} 次重复的中位数及 50% 和 90% 区间"},
    "caption.diff": {
        "en": "{metric}: paired difference against {baseline} (same seeds), median with 50% "
              "and 90% bands",
        "zh": "{metric}：与{baseline}的配对差值（相同种子），中位数及 50% 和 90% 区间"},
    "caption.subscores": {"en": "Maturity sub-scores: median and 90% band",
                          "zh": "组织成熟度各分项：中位数及 90% 区间"},
    "caption.horizon": {
        "en": "Distributions across replications at the horizon (box: quartiles; triangle: "
              "mean)",
        "zh": "期末各次重复的分布（箱体：四分位数；三角形：均值）"},
    # milestone table
    "col.year": {"en": "year", "zh": "年份"},
    "col.scenario": {"en": "scenario", "zh": "方案"},
    "col.mean": {"en": "mean", "zh": "均值"},
    "col.ci": {"en": "95% CI", "zh": "95% 置信区间"},
    "col.diff_vs": {"en": "diff vs {baseline}", "zh": "与{baseline}之差"},
    "col.diff_ci": {"en": "diff 95% CI", "zh": "差值 95% 置信区间"},
    "col.p": {"en": "Wilcoxon p", "zh": "Wilcoxon p 值"},
    "col.dz": {"en": "effect d_z", "zh": "效应量 d_z"},
    "col.effect": {"en": "effect", "zh": "效应大小"},
    "diff_ci": {"en": "{low:+.3f} to {high:+.3f}", "zh": "{low:+.3f} 至 {high:+.3f}"},
    # ---- summary sentences
    "when.by_year": {"en": "By year {year}", "zh": "到第 {year} 年"},
    "when.in_years": {"en": "In years {years}", "zh": "第 {years} 年"},
    "effect.raises": {"en": "raises", "zh": "提高"},
    "effect.lowers": {"en": "lowers", "zh": "降低"},
    "effect.clear": {
        "en": "{when}, {scenario} {verb} {label} by {size:.3f} (95% CI {low:+.3f} to "
              "{high:+.3f}) compared with {baseline}.",
        "zh": "{when}，与{baseline}相比，{scenario}使{label}{verb} {size:.3f}（95% 置信区间 "
              "{low:+.3f} 至 {high:+.3f}）。"},
    "effect.unclear": {
        "en": "{when}, {scenario} and {baseline} do not differ clearly in {label} (difference "
              "{diff:+.3f}, 95% CI {low:+.3f} to {high:+.3f}).",
        "zh": "{when}，{scenario}与{baseline}在{label}上没有明显差别（差值 {diff:+.3f}，95% "
              "置信区间 {low:+.3f} 至 {high:+.3f}）。"},
    # ---- switch-year
    "switch.title": {"en": "When to switch: {name}", "zh": "何时切换：{name}"},
    "switch.best": {
        "en": "{metric} at the horizon is highest when switching after year {year}: "
              "{mean:.3f} (95% CI {low:.3f}–{high:.3f}).",
        "zh": "第 {year} 年后切换时，期末{metric}最高：{mean:.3f}（95% 置信区间 "
              "{low:.3f}–{high:.3f}）。"},
    "switch.after_range": {
        "en": "{metric} in the 3 years after the switch ranges from {lo:.3f} (switch after "
              "year {lo_year}) to {hi:.3f} (after year {hi_year}).",
        "zh": "切换后 3 年内的{metric}介于 {lo:.3f}（第 {lo_year} 年后切换）与 {hi:.3f}"
              "（第 {hi_year} 年后切换）之间。"},
    "switch.method": {
        "en": "{reps} replications per switch year, root seed {seed}, the same seeds for every "
              "switch year (paired). A switch year equal to the horizon means never switching. "
              "95% bootstrap CIs.",
        "zh": "每个切换年份 {reps} 次重复模拟，根种子 {seed}，各切换年份使用相同的种子（配对）。"
              "切换年份等于期末年份即表示始终不切换。95% bootstrap 置信区间。"},
    "caption.switch_horizon": {
        "en": "Headline metrics at the horizon against the switch year (95% CI)",
        "zh": "期末主要指标与切换年份的关系（95% 置信区间）"},
    "caption.switch_after": {"en": "Mean over the 3 years after the switch (95% CI)",
                             "zh": "切换后 3 年的平均值（95% 置信区间）"},
    "when.at_horizon": {"en": "at horizon", "zh": "期末"},
    "when.after_switch": {"en": "3 years after switch", "zh": "切换后 3 年"},
    # ---- analyze
    "analyze.title": {"en": "Sweep {name}: sensitivity and scenario discovery",
                      "zh": "参数扫描 {name}：敏感性分析与情景发现"},
    "analyze.intro": {
        "en": "Design {design}, {points} points, {reps} replications, scenarios {names}; "
              "values at year {year}, averaged over replications.",
        "zh": "设计 {design}，{points} 个参数点，{reps} 次重复，方案 {names}；取第 {year} "
              "年的值，按重复取平均。"},
    "h.sensitivity": {"en": "Global sensitivity", "zh": "全局敏感性"},
    "analyze.no_sensitivity": {
        "en": "The design is {design}; Sobol indices need design = \"sobol\" and Morris "
              "screening design = \"morris\".",
        "zh": "设计为 {design}；Sobol 指数需要 design = \"sobol\"，Morris 筛选需要 "
              "design = \"morris\"。"},
    "analyze.sobol": {
        "en": "Sobol first-order (alone) and total-order (with interactions) indices of each "
              "target, with 95% bootstrap CIs, on replication means (N = {samples} base "
              "samples). A parameter with a total index near zero does not matter for that "
              "target.",
        "zh": "各目标的 Sobol 一阶指数（单独作用）与总效应指数（含交互作用），附 95% bootstrap "
              "置信区间，基于重复均值（N = {samples} 个基础样本）。总效应指数接近零的参数对该"
              "目标没有影响。"},
    "caption.sobol": {"en": "Sobol indices (bars) with 95% CIs",
                      "zh": "Sobol 指数（柱）及 95% 置信区间"},
    "analyze.morris": {
        "en": "Morris screening: μ* (mean absolute elementary effect, in unit parameter "
              "ranges) ranks importance; σ flags non-linearity or interaction.",
        "zh": "Morris 筛选：μ*（基本效应绝对值的均值，以参数范围为单位）衡量重要性；σ 提示"
              "非线性或交互作用。"},
    "caption.morris": {"en": "Morris μ* and σ", "zh": "Morris μ* 与 σ"},
    "h.discovery": {"en": "Scenario discovery: where the second scenario wins",
                    "zh": "情景发现：第二个方案占优的参数区域"},
    "analyze.no_boxes": {
        "en": "No PRIM boxes: the sweep compares no scenarios, or one scenario wins "
              "everywhere on every metric.",
        "zh": "没有 PRIM 区域：扫描未比较方案，或某一方案在每个指标上处处占优。"},
    "h.box": {"en": "{metric}: {second} > {first}", "zh": "{metric}：{second} > {first}"},
    "analyze.box": {
        "en": "PRIM box (knee of the peeling trajectory): coverage {coverage:.2f} (share of "
              "all winning points inside), density {density:.2f} (share of points inside that "
              "win), support {support:.2f}.",
        "zh": "PRIM 区域（剥离轨迹的拐点）：覆盖率 {coverage:.2f}（占优点落在区域内的比例），"
              "密度 {density:.2f}（区域内占优点的比例），支持度 {support:.2f}。"},
    "analyze.no_restriction": {"en": "no restriction", "zh": "无限制"},
    "caption.prim": {"en": "PRIM coverage and density", "zh": "PRIM 覆盖率与密度"},
    "h.responses": {"en": "Responses", "zh": "响应"},
    "caption.response": {"en": "{target} at each design point", "zh": "各设计点上的{target}"},
    "target": {"en": "{metric}: {which}", "zh": "{metric}：{which}"},
    "difference": {"en": "difference", "zh": "差值"},
    # ---- figures
    "fig.year": {"en": "year", "zh": "年"},
    "fig.over_time": {"en": "{metric}: median, 50% and 90% bands",
                      "zh": "{metric}：中位数及 50%、90% 区间"},
    "fig.diff": {"en": "Paired difference in {metric}", "zh": "{metric}的配对差值"},
    "fig.at_horizon": {"en": "At the horizon (year {year})", "zh": "期末（第 {year} 年）"},
    "fig.switch_year": {"en": "switch year", "zh": "切换年份"},
    "fig.sobol_index": {"en": "Sobol index", "zh": "Sobol 指数"},
    "fig.first": {"en": "first", "zh": "一阶"},
    "fig.total": {"en": "total", "zh": "总效应"},
    "fig.coverage": {"en": "coverage", "zh": "覆盖率"},
    "fig.density": {"en": "density", "zh": "密度"},
    "fig.chosen": {"en": "chosen box", "zh": "所选区域"},
    "fig.restricted": {"en": "parameters restricted", "zh": "受限参数个数"},
    # ---- decide
    "decide.title": {"en": "Decision over plausible worlds: {name}",
                     "zh": "基于合理世界的决策分析：{name}"},
    "h.recommendation": {"en": "Recommendation and its conditions", "zh": "建议及其适用条件"},
    "decide.recommend": {
        "en": "Recommended: {policy}. Of the {policies} policies compared in {worlds} plausible "
              "worlds, it has the least maximum regret on the combined score: it falls short "
              "of the best policy in each world by at most {max:.3f} (on average {mean:.3f}).",
        "zh": "建议采用：{policy}。在 {worlds} 个合理世界中比较的 {policies} 个策略里，它在综合"
              "得分上的最大遗憾最小：与每个世界中的最优策略相比，差距至多为 {max:.3f}（平均 "
              "{mean:.3f}）。"},
    "decide.meets": {
        "en": "It meets every threshold the planner stated ({thresholds}) in {met} of {worlds} "
              "worlds ({share:.0%}).",
        "zh": "它在 {worlds} 个世界中的 {met} 个（{share:.0%}）满足规划者设定的全部门槛"
              "（{thresholds}）。"},
    "decide.no_thresholds": {
        "en": "The spec states no thresholds ([satisficing]): no policy is judged by them.",
        "zh": "规格文件未设定门槛（[satisficing]）：不按门槛评判策略。"},
    "decide.fails": {
        "en": "It fails (combined regret above {tolerance}, or a threshold missed) in {failing} "
              "of {worlds} worlds.",
        "zh": "它在 {worlds} 个世界中的 {failing} 个失效（综合遗憾超过 {tolerance}，或未满足"
              "某一门槛）。"},
    "decide.fails_where": {
        "en": "Those worlds lie mostly where {box} (PRIM box: coverage {coverage:.2f}, density "
              "{density:.2f}).",
        "zh": "这些世界主要位于 {box} 的区域（PRIM 区域：覆盖率 {coverage:.2f}，密度 "
              "{density:.2f}）。"},
    "decide.fails_nowhere": {"en": "It fails in none of them.",
                             "zh": "它在所有世界中均未失效。"},
    "decide.fails_everywhere": {
        "en": "It fails in every world, so no region of the uncertainties tells its failures "
              "apart.",
        "zh": "它在每个世界中都失效，因此不确定参数中没有哪个区域能把失效情形区分出来。"},
    "decide.fails_unseparated": {
        "en": "No box of the sampled parameters tells those worlds apart from the others.",
        "zh": "抽样参数中没有哪个区域能把这些世界与其余世界区分开。"},
    "decide.timing": {
        "en": "It switched by the horizon in {share:.0%} of the runs; where it switched, after "
              "year {year:.1f} on average (by world: {low:.1f} to {high:.1f}).",
        "zh": "到期末，{share:.0%} 的模拟发生了切换；发生切换时平均在第 {year:.1f} 年后"
              "（各世界：{low:.1f} 至 {high:.1f}）。"},
    "decide.none_satisfice": {
        "en": "No policy meets every threshold in any world: the thresholds ask more than any "
              "policy gives in these worlds.",
        "zh": "没有任何策略在任何世界中满足全部门槛：在这些世界中，门槛的要求超出了所有策略的"
              "表现。"},
    "decide.close": {
        "en": "The next policy, {policy}, has a maximum regret only {gap:.3f} higher: less than "
              "the typical Monte-Carlo half-width of a regret ({halfwidth:.3f}), so more "
              "replications may change the order.",
        "zh": "排在其后的策略{policy}的最大遗憾只高 {gap:.3f}：小于遗憾的典型蒙特卡洛半宽"
              "（{halfwidth:.3f}），增加重复次数可能改变排序。"},
    "decide.search_noise": {
        "en": "The trigger thresholds searched differ in maximum regret by less than the typical "
              "Monte-Carlo half-width ({halfwidth:.3f}): with these replications the search does "
              "not tell them apart.",
        "zh": "所搜索的各组触发阈值之间最大遗憾的差别小于典型蒙特卡洛半宽（{halfwidth:.3f}）："
              "在现有重复次数下，搜索无法区分它们。"},
    "decide.agree": {
        "en": "It is also the policy that meets every threshold in the most worlds.",
        "zh": "它同时也是在最多世界中满足全部门槛的策略。"},
    "decide.disagree": {
        "en": "The two criteria disagree: the policy meeting every threshold in the most worlds "
              "is {policy} ({share:.0%} of worlds; maximum regret {max:.3f}). Minimax regret "
              "guards against the largest shortfall from the best policy; satisficing against "
              "missing the planner's thresholds.",
        "zh": "两个准则不一致：在最多世界中满足全部门槛的策略是{policy}（{share:.0%} 的世界；"
              "最大遗憾 {max:.3f}）。最小最大遗憾准则防范与最优策略的最大差距，满意准则防范"
              "达不到规划者的门槛。"},
    "decide.search": {
        "en": "Of the {points} trigger thresholds searched ({keys}), {policy} has the least "
              "maximum regret: {max:.3f}.",
        "zh": "在搜索的 {points} 组触发阈值（{keys}）中，{policy}的最大遗憾最小：{max:.3f}。"},
    "decide.spread": {
        "en": "The spread (mean, p10-p90, maximum regret) is over the plausible worlds: "
              "uncertainty about the assumptions, as far as the worlds cover it. The "
              "half-widths are 95% Monte-Carlo intervals over the {reps} replication(s) per "
              "world, paired by seed across policies: replication noise only (typically "
              "{halfwidth} for a policy's combined regret).",
        "zh": "分布（均值、p10-p90、最大遗憾）是跨合理世界的：即在这些世界所覆盖的"
              "范围内对假设的不确定性。半宽是每个世界 {reps} 次重复模拟的 95% 蒙特卡洛区间，"
              "各策略按种子配对：只反映重复模拟噪声（策略综合遗憾的典型半宽：{halfwidth}）。"},
    "h.policies": {"en": "Policies compared", "zh": "比较的策略"},
    "decide.policy": {"en": "{name} ({kind}): {description}",
                      "zh": "{name}（{kind}）：{description}"},
    "decide.variant": {"en": "as {base}{switch}", "zh": "同{base}{switch}"},
    "kind.file": {"en": "scenario file", "zh": "方案文件"},
    "kind.switch_year": {"en": "fixed switch year", "zh": "固定切换年份"},
    "kind.trigger_search": {"en": "trigger search", "zh": "触发阈值搜索"},
    "h.regret": {"en": "Regret and satisficing (combined score)",
                 "zh": "遗憾与满足门槛情况（综合得分）"},
    "decide.regret_note": {
        "en": "Per policy, over the worlds: the combined score's mean, p10 and p90; its mean "
              "and maximum regret against the best policy in each world; the median Monte-Carlo "
              "half-width of that regret; the share of worlds meeting every threshold; the "
              "share where the policy fails.",
        "zh": "每个策略跨世界的：综合得分的均值、p10 和 p90；与每个世界中最优策略"
              "相比的平均遗憾和最大遗憾；该遗憾的蒙特卡洛半宽中位数；满足全部门槛的世界占比；"
              "策略失效的世界占比。"},
    "h.by_metric": {"en": "By metric", "zh": "分指标"},
    "decide.metric_choice": {
        "en": "{metric} ({better}): least maximum regret {policy}, {max:.3f}.",
        "zh": "{metric}（{better}）：最大遗憾最小的是{policy}，{max:.3f}。"},
    "decide.definition": {
        "en": "Part of some differences between the policies follows from what the schemes "
              "are, not from behaviour (docs/ODD.md §7.12), and regret counts it all the same:",
        "zh": "策略之间的部分差异来自方案本身的规定，而非行为（docs/ODD.md §7.12），遗憾同样"
              "把它计算在内："},
    "better.higher": {"en": "higher is better", "zh": "越高越好"},
    "better.lower": {"en": "lower is better", "zh": "越低越好"},
    "h.failure": {"en": "Where the recommended policy fails", "zh": "建议策略在哪些情形下失效"},
    "decide.prim": {
        "en": "PRIM (Friedman & Fisher 1999) over the {parameters} sampled parameters of the "
              "{worlds} worlds. With few worlds and many parameters, a box that tells them "
              "apart can arise by chance: read it as a hypothesis to test with more worlds.",
        "zh": "对 {worlds} 个世界的 {parameters} 个抽样参数做 PRIM（Friedman & Fisher 1999）。"
              "世界少而参数多时，能把它们区分开的区域可能出于偶然：应视为有待用更多世界检验"
              "的假设。"},
    "h.flips": {"en": "Which assumptions flip the ranking", "zh": "哪些假设会改变策略排序"},
    "decide.flips": {
        "en": "The recommended policy is not the best in {flips} of {worlds} worlds "
              "({share:.0%}): there another policy's combined score is higher (its ranking "
              "margin, its combined score minus the best other policy's, is below 0).",
        "zh": "建议策略在 {worlds} 个世界中的 {flips} 个（{share:.0%}）并非最优：在这些世界中"
              "另有策略的综合得分更高（其排序差距，即其综合得分减去其余策略中最高者，小于 0）。"},
    "decide.flips_close": {
        "en": "In {close} of the {worlds} worlds the margin is within the typical Monte-Carlo "
              "half-width of a combined regret ({halfwidth}): more replications may move those "
              "worlds to the other side.",
        "zh": "{worlds} 个世界中有 {close} 个的排序差距在综合遗憾的典型蒙特卡洛半宽（{halfwidth}）"
              "之内：更多重复可能使这些世界落到另一侧。"},
    "decide.too_few_worlds": {
        "en": "With {worlds} worlds (fewer than {minimum}) there are too few to tell which "
              "assumptions drive the margin: no index is estimated. sensitivity.csv still gives "
              "each parameter's direction and where the flips happen.",
        "zh": "只有 {worlds} 个世界（少于 {minimum} 个），不足以判断哪些假设决定排序差距：不估计"
              "指数。sensitivity.csv 仍给出各参数的方向以及排序在哪些取值上改变。"},
    "decide.constant_margin": {
        "en": "The margin is the same in every world: there is nothing for an assumption to "
              "explain, and the indices are undefined.",
        "zh": "排序差距在每个世界中都相同：没有需要由假设解释的差异，指数无定义。"},
    "decide.driver": {
        "en": "{name}: index {index:.2f} (95% interval {low:.2f} to {high:.2f}); {direction} "
              "(Spearman {rho:.2f}); the ranking flips in {below:.0%} of the worlds in the lower "
              "half of its sampled values and {above:.0%} in the upper half.",
        "zh": "{name}：指数 {index:.2f}（95% 区间 {low:.2f} 至 {high:.2f}）；{direction}"
              "（Spearman {rho:.2f}）；在其抽样取值的下半部分，{below:.0%} 的世界排序改变，"
              "上半部分为 {above:.0%}。"},
    "direction.up": {"en": "the margin grows with it", "zh": "排序差距随其增大而增大"},
    "direction.down": {"en": "the margin shrinks as it grows", "zh": "排序差距随其增大而减小"},
    "direction.none": {"en": "no monotone direction", "zh": "无单调方向"},
    "decide.no_driver": {
        "en": "No sampled parameter's index is above the noise floor: with these worlds none is "
              "shown to drive the margin on its own.",
        "zh": "没有哪个抽样参数的指数高于噪声底线：在这些世界中，没有参数被证明能单独决定"
              "排序差距。"},
    "decide.noise": {
        "en": "A dummy column of random numbers, which affects nothing, gets {dummy:.2f}; the "
              "noise floor is {floor:.2f}: where no parameter mattered, some one of the "
              "{parameters} parameters would exceed it by chance in nominally 5% of samples of "
              "as many worlds (random orderings of the worlds, Bonferroni).",
        "zh": "一列不影响任何结果的随机数（哑变量）得到 {dummy:.2f}；噪声底线为 {floor:.2f}："
              "若所有参数都不起作用，在同样数量世界的样本中，{parameters} 个参数里有某一个偶然"
              "超过它的名义概率为 5%（对世界随机重排，Bonferroni 校正）。"},
    "decide.sensitivity_method": {
        "en": "The index is the first-order share Var(E[margin | X])/Var(margin), estimated from "
              "the {worlds} worlds already run by equal-count binning ({bins} bins; Plischke, "
              "Borgonovo & Smith 2013) with Kelley's (1935) bias correction, so it can fall "
              "below 0 by chance; intervals are bootstrap intervals over the worlds, approximate "
              "and wide with so few, and do not cover the replication noise in each margin. "
              "The worlds are a filtered sample: the parameters may be correlated, so an index "
              "also carries what its parameter shares with those correlated with it; the indices "
              "are no variance decomposition and need not sum to 1 or less. The bins cut through "
              "runs of equal values, so a whole-number parameter's index is understated, and "
              "with few bins every index is biased down (a margin equal to the parameter gets "
              "0.72 with 8 worlds, 0.87 with 9 to 15). sensitivity.csv also gives the same index "
              "of the recommended policy's combined regret.",
        "zh": "指数为一阶方差占比 Var(E[margin | X])/Var(margin)，基于已运行的 {worlds} 个世界，"
              "用等频分箱估计（{bins} 个箱；Plischke, Borgonovo & Smith 2013），并做 Kelley（1935）"
              "偏差校正，因此可能偶然小于 0；区间是对世界的 bootstrap 区间，世界这么少时"
              "只是近似且很宽，也不包含每个排序差距中的重复模拟噪声。这些世界是经过筛选的样本："
              "参数之间可能相关，因此一个指数也包含其参数与相关参数共有的部分；这些指数不是方差"
              "分解，其和不必小于或等于 1。分箱会切开取值相同的世界，因此整数参数的指数偏低；"
              "箱数少时所有指数都偏低（排序差距等于该参数时，8 个世界得 0.72，9 至 15 个世界得 "
              "0.87）。sensitivity.csv 还给出建议策略综合遗憾的同一指数。"},
    "h.search": {"en": "Trigger search", "zh": "触发阈值搜索"},
    "decide.search_note": {
        "en": "One policy per point of the grid [policies.trigger_search], each the base's "
              "trigger with those thresholds; best marks the least maximum regret.",
        "zh": "[policies.trigger_search] 网格的每个点是一个策略，即基准触发条件取这些阈值；"
              "“最优”标出最大遗憾最小者。"},
    "decide.precision_rounds": {
        "en": "Replications were added in rounds until every 95% half-width of a regret in "
              "regret.csv (each policy in each world, on each metric and the combined score; "
              "the world's best policy left out, its regret being 0 by construction) was at "
              "most {target}, with N between {least} and {most}: {rounds}.",
        "zh": "按轮次增加重复次数，直到 regret.csv 中每个遗憾的 95% 半宽（各策略在各世界中、各"
              "指标及综合得分上；各世界的最优策略除外，其遗憾按定义为 0）都不超过 {target}，N "
              "介于 {least} 与 {most} 之间：{rounds}。"},
    "decide.precision_plain": {
        "en": "The tables are those of a plain study whose spec has replications = {n}; the "
              "spec's own replications ({spec_reps}) is not used with --precision, whose first "
              "round is --min-reps.",
        "zh": "各表与规格中 replications = {n} 的普通研究所得相同；使用 --precision 时不采用"
              "规格自身的 replications（{spec_reps}），第一轮为 --min-reps。"},
    "decide.precision_mc": {
        "en": "These half-widths are Monte-Carlo (replication) noise only: more replications "
              "shrink them, but not the spread over the plausible worlds (mean, p10-p90, "
              "maximum regret), which is uncertainty about the assumptions.",
        "zh": "这些半宽只反映蒙特卡洛（重复模拟）噪声：增加重复次数会使其缩小，但不会缩小跨"
              "合理世界的分布（均值、p10-p90、最大遗憾），后者是对假设的不确定性。"},
    "h.method": {"en": "Method", "zh": "方法"},
    "decide.method": {
        "en": "Worlds: the first {worlds} plausible worlds of {folder}. {reps} replication(s) "
              "per policy and world, seeds spawned from {seed}: replication r uses the same "
              "seed under every policy (common random numbers). Metrics are scored at year "
              "{horizon}, as the mean over the replications. A policy's regret in a world is "
              "the best policy's score there minus its own (a metric where lower is better "
              "enters with its sign turned). The combined score is the weighted mean of the "
              "scores, weights {weights}. A policy fails in a world where its combined regret "
              "exceeds {tolerance} or it misses a threshold.",
        "zh": "世界：{folder} 中的前 {worlds} 个合理世界。每个策略和世界 {reps} 次重复模拟，"
              "种子由 {seed} 派生：第 r 次重复在每个策略下使用同一种子（共同随机数）。各指标在"
              "第 {horizon} 年按重复均值计分。策略在某一世界中的遗憾是该世界最优策略的得分减去"
              "其自身得分（越低越好的指标取相反数）。综合得分是各得分的加权平均，权重 {weights}。"
              "策略在综合遗憾超过 {tolerance} 或未满足某一门槛的世界中视为失效。"},
    "box.at_least": {"en": "{name} >= {value:.3g}", "zh": "{name} >= {value:.3g}"},
    "box.at_most": {"en": "{name} <= {value:.3g}", "zh": "{name} <= {value:.3g}"},
    "box.between": {"en": "{low:.3g} <= {name} <= {high:.3g}",
                    "zh": "{low:.3g} <= {name} <= {high:.3g}"},
    "box.among": {"en": "{name} in {values}", "zh": "{name} 取 {values}"},
    "h.files": {"en": "Files", "zh": "文件"},
    "decide.files": {
        "en": "Beside this report: outcomes.csv (each policy in each world), regret.csv, "
              "policies.csv, trigger_search.csv, boxes.csv, sensitivity.csv, worlds.csv, "
              "manifest.json; the "
              "policies as scenario files in policies/; the sweep that ran them (spec.toml, "
              "sweep.json, results.parquet); decide.toml, the specification; with "
              "--precision, precision.csv and precision.json (the rounds).",
        "zh": "本报告之外：outcomes.csv（各策略在各世界中的结果）、regret.csv、policies.csv、"
              "trigger_search.csv、boxes.csv、sensitivity.csv、worlds.csv、manifest.json；"
              "policies/ 中各策略的方案文件；运行它们的参数扫描（spec.toml、sweep.json、"
              "results.parquet）；decide.toml，即规格文件；使用 --precision 时还有 "
              "precision.csv 和 precision.json（各轮次）。"},
    "caption.decide_outcomes": {
        "en": "Each policy at year {horizon} in each plausible world (dot: a world's mean over "
              "replications; box: quartiles over the worlds)",
        "zh": "各策略第 {horizon} 年在各合理世界中的结果（点：一个世界的重复均值；箱体：跨世界"
              "的四分位数）"},
    "caption.decide_regret": {
        "en": "Maximum regret over the worlds by policy and metric (0: the best policy in every "
              "world)",
        "zh": "各策略、各指标跨世界的最大遗憾（0：在每个世界中都是最优策略）"},
    "caption.decide_satisficing": {
        "en": "Share of the worlds in which each policy meets every threshold",
        "zh": "各策略满足全部门槛的世界占比"},
    "caption.decide_search": {
        "en": "Trigger search: maximum regret on the combined score at each grid point",
        "zh": "触发阈值搜索：各网格点综合得分的最大遗憾"},
    "fig.combined": {"en": "combined score", "zh": "综合得分"},
    "fig.max_regret": {"en": "maximum regret", "zh": "最大遗憾"},
    "fig.share_of_worlds": {"en": "share of worlds", "zh": "世界占比"},
    "fig.policy": {"en": "policy", "zh": "策略"},
}

# Chinese headers of the report tables whose English headers are the data's column names.
COLUMNS_ZH = {
    "metric": "指标", "years": "年份", "year": "年份", "scenario": "方案", "diff": "差值",
    "diff_low": "差值下限", "diff_high": "差值上限", "p_value": "p 值",
    "effect_size": "效应量 d_z", "switch_year": "切换年份", "when": "时段",
    "window_months": "窗口（月）", "mean": "均值", "low": "下限", "high": "上限",
    "target": "目标", "parameter": "参数", "first": "一阶指数", "first_low": "一阶下限",
    "first_high": "一阶上限", "total": "总效应指数", "total_low": "总效应下限",
    "total_high": "总效应上限", "note": "说明", "mu": "μ", "mu_star": "μ*", "sigma": "σ",
    "allowed": "允许取值", "coverage": "覆盖率", "density": "密度", "differs": "是否不同",
    "unit": "单位", "source": "来源",
    "policy": "策略", "kind": "类型", "better": "方向", "p10": "第 10 百分位",
    "p90": "第 90 百分位", "mean_regret": "平均遗憾", "max_regret": "最大遗憾",
    "halfwidth": "蒙特卡洛半宽", "threshold": "门槛", "satisficing": "满足门槛比例",
    "fails": "失效比例", "switched": "已切换比例", "best": "最优", "support": "支持度",
    "failing": "失效世界数", "worlds": "世界数", "dummy": "哑变量",
    "margin_index": "排序差距指数", "margin_low": "指数下限", "margin_high": "指数上限",
    "margin_above": "高于噪声底线", "rho": "Spearman ρ", "flips_low": "下半部分排序改变比例",
    "flips_high": "上半部分排序改变比例",
}
EFFECT_ZH = {"negligible": "可忽略", "small": "小", "medium": "中", "large": "大",
             "undefined": "无法确定"}
NOTES_ZH = {"constant output: zero variance, indices undefined": "输出恒定：方差为零，指数无定义"}


def text(key: str, lang: str = "en", **values: object) -> str:
    """Message ``key`` in ``lang``, filled with ``values``."""
    return MESSAGES[key][check_lang(lang)].format(**values)


def scenario_name(name: str, lang: str = "en") -> str:
    """A scenario in a report: its name in English (it names the files and data), the Chinese
    scheme name in Chinese (the name itself for scenarios without one)."""
    return name if check_lang(lang) == "en" else scenario_label(name, lang)


def metric_in_sentence(metric: str, lang: str = "en") -> str:
    """A metric's label inside a sentence (lower case in English)."""
    label = metric_label(metric, lang)
    return label.lower() if lang == "en" else label


def target_label(target: str, lang: str = "en") -> str:
    """'maturity|difference' → 'Organisational maturity: difference' (组织成熟度：差值)."""
    metric, _, which = target.partition("|")
    which = text("difference", lang) if which == "difference" else scenario_name(which, lang)
    return text("target", lang, metric=metric_label(metric, lang), which=which)


def column(name: str, lang: str = "en") -> str:
    """A table header: the data's column name in English, its Chinese name in Chinese."""
    return name if check_lang(lang) == "en" else COLUMNS_ZH.get(name, name)


def effect_word(label: object, lang: str = "en") -> str:
    """Cohen's verbal effect label ('–' when missing)."""
    if not isinstance(label, str) or label == "":
        return "–"
    return label if lang == "en" else EFFECT_ZH.get(label, label)


def note(value: object, lang: str = "en") -> object:
    """A note cell of a table (sensitivity notes), translated when known."""
    if lang == "en" or not isinstance(value, str):
        return value
    return NOTES_ZH.get(value, value)


def yes_no(value: object, lang: str = "en") -> object:
    """True/False in a table: as is in English, 是/否 in Chinese."""
    if lang == "en" or not isinstance(value, bool):
        return value
    return "是" if value else "否"


def localise_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A data table for a report: metric, target and scenario cells as labels (in both
    languages), effect words, notes and yes/no in ``lang``; headers in ``lang``. Numbers are
    left as they are, so the report formats them identically in every language."""
    out = frame.copy()
    cells = {"metric": lambda v: metric_label(v, lang),
             "target": lambda v: target_label(v, lang),
             "scenario": lambda v: scenario_name(v, lang),
             "effect_label": lambda v: effect_word(v, lang),
             "note": lambda v: note(v, lang),
             "differs": lambda v: yes_no(v, lang)}
    for name, convert in cells.items():
        if name in out.columns:
            out[name] = [v if _missing(v) else convert(v) for v in out[name]]
    return out.rename(columns={c: column(c, lang) for c in out.columns})


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
