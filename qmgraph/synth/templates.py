"""Sentence material for synthetic 质量月 notices: activity cores by sector, verbs, purposes.

An activity is ``verb + core + "，" + purpose + "。"``. Cores carry the campaigns
(“昆仑{year}”专项行动, “电梯安全宣传周”…); ``{year}`` makes a campaign series across years
and ``{scope}`` is the level word (全国 / 全省 / 全市 / 全区 / 全县). Adapting an activity
keeps its core (and so its campaign) and changes the verb, the purpose and adds a lead.
Fresh local activities come from a separate combinatorial pool that names the place, so
they do not accidentally repeat a higher-level sentence.
"""

from __future__ import annotations

#: sector key (data/sectors.csv) → activity cores of that sector
SECTOR_CORES: dict[str, tuple[str, ...]] = {
    "market-regulation": (
        "“电梯安全宣传周”活动",
        "“计量服务中小企业行”活动",
        "民生领域案件查办“铁拳”行动",
        "质量基础设施“一站式”服务进园区活动",
        "“绿色产品认证宣传周”和“有机产品认证宣传周”活动",
        "检验检测机构开放日活动",
        "“世界标准日”主题宣传活动",
        "{year}年{scope}产品质量监督抽查结果通报工作",
        "“计量惠民服务日”活动",
        "缺陷消费品召回知识宣传活动",
        "质量技术帮扶“提质强企”行动",
        "{scope}企业首席质量官宣贯培训",
        "“守护消费{year}”铁拳行动",
        "“质量开放日”活动",
        "“百城千业万企对标达标”提升专项行动",
        "特种设备安全隐患排查整治专项行动",
    ),
    "public-security": (
        "“昆仑{year}”专项行动",
        "打击侵权假冒伪劣商品犯罪集中宣传活动",
        "“净网{year}”专项行动中假冒伪劣网售商品案件侦办工作",
    ),
    "intellectual-property": (
        "“知识产权宣传周”活动",
        "“蓝天{year}”专利代理行业专项整治行动",
        "地理标志产品保护专项检查",
    ),
    "industry-it": (
        "{scope}工业质量标杆经验交流活动",
        "“增品种、提品质、创品牌”三品专项行动",
        "中小企业质量管理数字化诊断服务活动",
    ),
    "education": (
        "“质量第一课”进校园活动",
        "中小学（幼儿园）教育装备质量抽检监测",
    ),
    "agriculture": (
        "“放心农资下乡进村”宣传活动",
        "{year}年农作物种子市场秋季检查",
        "农机质量提升行动",
    ),
    "housing-construction": (
        "《工程质量安全手册》贯彻示范活动",
        "建筑工程质量安全文明工地观摩活动",
    ),
    "transport": (
        "交通运输相关产品质量行业监督抽查",
        "“品质工程”创建示范活动",
    ),
    "water": (
        "水利工程质量提升专项行动",
        "水利工程质量监督业务培训",
    ),
    "commerce": (
        "“老字号嘉年华”活动",
        "“诚信兴商宣传月”活动",
    ),
    "health": (
        "医疗质量安全改进专项行动",
        "医养结合机构服务质量提升行动",
    ),
    "ecology-environment": (
        "生态环境监测机构“双随机、一公开”监督抽查",
        "“美丽中国，我是行动者”主题实践活动",
    ),
    "culture-tourism": (
        "文化和旅游市场服务质量提升主题宣传活动",
        "“旅游服务质量提升年”活动",
    ),
    "state-assets": (
        "国有企业全面质量管理知识竞赛",
        "国有企业质量管理小组成果发表赛",
    ),
    "emergency-management": (
        "“安全生产月”活动",
        "危险化学品安全专项整治行动",
    ),
    "drug-administration": (
        "“全国安全用药月”活动",
        "医疗器械“清网”行动",
    ),
    "development-reform": (
        "“中国品牌日”系列活动",
        "“信用中国”质量信用信息归集共享工作",
    ),
    "science-technology": (
        "质量标准技术攻关项目征集工作",
        "“科技活动周”质量科普活动",
    ),
    "trade-union": (
        "职工“五小”创新成果征集活动",
        "“大国工匠”技能竞赛",
    ),
    "human-resources": (
        "“技能中国行动”质量技能人才培训",
    ),
}

#: cores any sector may use (with its sector label in front)
GENERIC_CORES: tuple[str, ...] = (
    "{label}领域质量主题宣传教育活动",
    "{label}行业质量标准宣贯培训",
    "{label}系统质量管理小组成果交流活动",
    "{label}领域质量安全专项检查",
    "{label}行业服务质量提升行动",
)

VERBS: tuple[str, ...] = (
    "开展", "组织开展", "深入开展", "举办", "部署开展", "持续推进", "组织实施", "扎实开展",
)

#: verbs an adapted copy uses instead (never the same as the original's)
ADAPT_VERBS: tuple[str, ...] = (
    "积极参与", "认真组织", "广泛开展", "精心组织", "全面推进", "联合开展",
)

PURPOSES: tuple[str, ...] = (
    "营造全社会关注质量、重视质量的良好氛围",
    "切实增强企业质量主体责任意识",
    "推动行业质量水平持续提升",
    "严厉打击质量违法行为，维护公平竞争的市场秩序",
    "提升人民群众的获得感和满意度",
    "引导企业树立质量第一的强烈意识",
    "助力中小企业纾困解难、提质增效",
    "推动质量安全风险防控关口前移",
    "筑牢质量安全底线，保障群众消费安全",
    "促进产业链供应链质量协同提升",
    "加快推动质量强国建设各项任务落地见效",
    "不断提升公共服务质量和水平",
    "夯实高质量发展的标准基础",
    "增强消费者维权意识和能力",
    "形成一批可复制可推广的经验做法",
    "带动上下游配套企业共同提高",
    "畅通质量问题投诉举报渠道",
    "健全部门协同的质量共治机制",
    "激发市场主体争创一流的内生动力",
    "打造一批叫得响的区域公共品牌",
)

#: adverbs in front of a purpose (so two activities rarely share the whole clause)
PURPOSE_LEADS: tuple[str, ...] = ("", "进一步", "切实", "着力", "有效", "全面")

#: leads an adapted copy puts in front (``{scope}`` = 全省…, ``{short}`` = place short name)
ADAPT_LEADS: tuple[str, ...] = (
    "结合本地实际，",
    "按照上级统一部署，",
    "在{scope}范围内",
    "围绕{short}重点产业，",
    "聚焦民生关切，",
    "",
)

# Fresh local activities: verb + place + industry + topic + "，" + purpose.
LOCAL_VERBS: tuple[str, ...] = ("组织", "指导", "推动", "动员", "支持", "引导")
INDUSTRIES: tuple[str, ...] = (
    "家具制造", "食品加工", "电线电缆", "纺织服装", "汽车零部件", "电子信息", "茶叶生产",
    "白酒酿造", "建材生产", "农机装备", "医疗器械", "化妆品", "儿童用品", "燃气器具",
    "电动自行车", "新能源电池", "预制菜", "中药材", "陶瓷", "钢铁冶炼", "物流快递", "养老服务",
)
SUBJECTS: tuple[str, ...] = ("企业", "小微企业", "龙头企业", "园区企业", "经营户", "生产单位")
TOPICS: tuple[str, ...] = (
    "开展质量诊断帮扶", "参加质量管理体系认证培训", "签订质量安全承诺书", "开展标准自我声明公开",
    "建立质量追溯体系", "参加计量器具免费检定", "开展品牌培育座谈", "实施首席质量官制度",
    "开展对标达标比对", "参与质量提升示范创建", "开展产品质量自查自纠", "开展质量诚信经营宣传",
    "开展检验检测能力比对", "开展质量攻关小组活动", "建设标准化良好行为示范点", "开展质量成本核算试点",
    "参加质量技能大比武", "开展用户满意度测评", "推行卓越绩效管理模式", "开展能效标识专项核查",
    "开展包装计量自查", "建立产品质量安全风险台账", "开展质量安全隐患排查", "参加知识产权保护培训",
)
LOCAL_PURPOSES: tuple[str, ...] = (
    "帮助企业解决质量技术难题",
    "为地方经济发展注入质量动能",
    "让群众切实感受到质量提升带来的实惠",
    "提升区域特色产业质量竞争力",
    "推动地方产业高质量发展",
    "夯实质量安全主体责任",
    "扩大优质产品和服务供给",
    "擦亮本地质量品牌",
)

THEMES: tuple[str, ...] = (
    "推动质量变革创新 促进质量强国建设",
    "加强质量支撑 共建质量强国",
    "建设质量强国 共享美好生活",
    "坚持质量第一 建设质量强国",
)

SLOGANS: tuple[str, ...] = (
    "深入实施质量提升行动 大力推进质量强国建设",
    "服务新发展格局 助推高质量发展",
    "坚持质量第一 建设质量强国",
    "让质量强国深入人心 让质量提升扎实推进",
    "提升产品、工程和服务质量 推动经济高质量发展",
    "加强全面质量管理 促进质量变革创新",
    "打造中国精品 畅享中国品牌",
    "弘扬工匠精神 推动品质革命",
    "夯实质量基础 提升服务效能",
    "人人创造质量 人人享受质量",
)

# Co-organizers an activity names ({co}: one to three agencies joined by 、; {host}: the
# block's own agency): before the verb ("联合{co}共同举办…"), or after the activity's core
# ("…，由{host}主办，{co}等单位协办，…"; 承办 with one agency only). A prose sentence names
# its agency first, so it uses the forms before the verb only.
CO_BEFORE_VERB: tuple[str, ...] = ("联合{co}共同", "会同{co}共同", "与{co}共同", "携手{co}",
                                   "协同{co}", "联手{co}共同")
#: how the last two co-organizers of a list may be joined instead of 、 (A、B和C): the 和
#: inside names such as 住房和城乡建设局 must not split them
CO_LAST_JOINERS: tuple[str, ...] = ("和", "及")
CO_AFTER_CORE: tuple[str, ...] = ("，由{host}主办，{co}等单位协办", "，由{host}主办，{co}协办")
CO_CARRYING: str = "，{host}主办，{co}承办"

#: body items of the notice's 活动内容 section (the issuer's own activities)
BODY_ITEMS: tuple[str, ...] = (
    "（{n}）组织宣传活动，强化质量意识。{scope}各部门要利用报刊、广播电视和新媒体，广泛宣传{short}质量发展成效。",
    "（{n}）围绕提档升级，提高质量水平。推动{short}产业和区域质量竞争力提升，开展质量强{lvl}建设活动。",
    "（{n}）强化质量监管，保障安全消费。聚焦{short}群众反映强烈的突出问题，加大质量监管执法力度。",
    "（{n}）增强服务效能，提高供给质量。加快{short}质量基础设施建设，提升公共技术服务能力。",
    "（{n}）改善质量环境，促进质量共治。开展{short}质量公益教育培训，推动形成质量共治格局。",
)

REQUIREMENTS: tuple[str, ...] = (
    "（一）精心组织实施。各有关单位要高度重视，加强统筹协调，确保活动取得实效。",
    "（二）加强信息报送。请于{year}年10月15日前报送“质量月”活动总结。",
)


# ------------------------------------------------------------------ prose documents
#
# Press releases, meeting reports and work summaries report activities in sentences:
# "{connector}{agency}{lead}{verb}{core}，{purpose}。". A sentence of prose counts as an
# activity when it names an action; the verbs below all do (开展, 组织, 举办, 实施), so a
# prose copy of a notice's activity never loses its action word. Non-activity sentences
# (background on the Quality Month, speeches, announcements of the theme, closing words)
# name no action.

#: verbs a prose sentence uses for a fresh or verbatim activity (each names an action)
PROSE_VERBS: tuple[str, ...] = (
    "开展", "组织开展", "深入开展", "举办", "部署开展", "组织实施", "扎实开展",
)

#: verbs a prose sentence uses for an adapted copy
PROSE_ADAPT_VERBS: tuple[str, ...] = ("认真组织", "广泛开展", "精心组织", "联合开展", "集中开展")

#: verbs a prose sentence uses for an adapted copy of a local activity ("组织XX企业开展…")
PROSE_LOCAL_ADAPT_VERBS: tuple[str, ...] = ("组织", "积极组织", "统一组织")

#: local topics a prose sentence may report (the topic itself names the action)
PROSE_TOPICS: tuple[str, ...] = tuple(t for t in TOPICS if t.startswith(("开展", "实施")))

#: sentence openers in front of a reported activity
RELEASE_CONNECTORS: tuple[str, ...] = ("", "", "活动现场，", "质量月期间，", "同时，", "此外，", "当天，")
MEETING_CONNECTORS: tuple[str, ...] = ("", "根据安排，", "质量月期间，", "同时，", "会议明确，")

#: headlines ({place} = the place as a headline writes it; {year} may be left out)
RELEASE_HEADLINES: tuple[str, ...] = (
    "{place}开展{year}年“质量月”宣传活动",
    "{place}{year}年“质量月”活动正式启动",
    "{place}启动{year}年“质量月”活动",
    "{place}多措并举推进{year}年“质量月”活动",
    "{place}扎实开展{year}年“质量月”系列活动",
    "{place}“质量月”活动精彩纷呈",
    "{place}“质量月”宣传活动走进社区",
)
NATIONAL_RELEASE_HEADLINES: tuple[str, ...] = (
    "市场监管总局等{n}个部门启动{year}年全国“质量月”活动",
    "{year}年全国“质量月”活动正式启动",
    "{year}年“质量月”活动在京启动",  # no place: the national body acting in the lead says it
)
#: headlines that name no place: the lead says "{year}年{place}“质量月”…"
PLACELESS_HEADLINES: tuple[str, ...] = (
    "{year}年“质量月”活动正式启动", "{year}年“质量月”宣传活动走进社区", "“质量月”活动精彩纷呈",
)
MEETING_HEADLINES: tuple[str, ...] = (
    "{place}召开{year}年“质量月”活动推进会",
    "{place}召开{year}年“质量月”活动部署会",
    "{place}{year}年“质量月”活动启动会召开",
)
NATIONAL_MEETING_HEADLINES: tuple[str, ...] = (
    "{year}年全国“质量月”活动部署会召开",
    "市场监管总局召开{year}年全国“质量月”活动推进会",
)
SUMMARY_HEADLINES: tuple[str, ...] = (
    "{place}{year}年“质量月”活动工作总结",
    "{place}关于{year}年“质量月”活动开展情况的报告",
    "{place}{year}年“质量月”活动开展情况",
)

# The lead sentence of a release (an activity: the launch itself) and of a meeting report
# (the meeting) are put together from parts, so two documents' leads rarely share more than
# the year's theme: "{when}，{who}{where}{verb}{year}年{scope}“质量月”{event}{theme}{close}。"
LEAD_WHEN: tuple[str, ...] = ("{m}月{d}日", "{m}月{d}日上午", "{m}月{d}日下午", "{m}月{d}日晚")
RELEASE_WHO: tuple[str, ...] = (
    "{lead}联合{co}等{n}个部门", "{lead}会同{co}等{n}个部门", "{lead}与{co}等{n}个部门共同",
    "{lead}携手{co}等{n}家单位",
)
RELEASE_VERBS: tuple[str, ...] = ("举办", "举行", "开展", "组织开展")
RELEASE_EVENTS: tuple[str, ...] = (
    "启动仪式", "启动活动", "集中宣传活动", "主题宣传活动", "广场宣传活动", "宣传咨询活动",
    "系列活动启动仪式", "主题宣传日活动",
)
LEAD_THEMES: tuple[str, ...] = ("，围绕“{theme}”主题", "，以“{theme}”为主题", "，紧扣“{theme}”这一主题")
RELEASE_CLOSES: tuple[str, ...] = (
    "，拉开了{scope}质量月系列活动的序幕", "，标志着{scope}“质量月”各项工作全面展开",
    "，吸引了众多市民和企业代表参与", "，{scope}相关企业、行业协会代表和市民群众{k}余人参加",
    "，现场气氛热烈", "",
)
MEETING_WHO: tuple[str, ...] = ("{lead}", "{lead}在{venue}", "{lead}组织")
MEETING_CLOSES: tuple[str, ...] = (
    "，{co}等{n}个成员单位有关负责同志参加会议", "，{co}等{n}个部门分管负责同志参加",
    "，对{scope}“质量月”重点工作作出安排，{co}等{n}个部门参会",
    "，{co}等{n}个成员单位联络员参加", "，通报筹备情况，{co}等{n}个部门参加会议",
)
MEETINGS: tuple[str, ...] = ("推进会", "部署会", "启动会", "工作推进会")
VENUES: tuple[str, ...] = (
    "市民广场", "人民广场", "文化广场", "会展中心", "体育中心广场", "质量教育基地", "步行街广场",
    "城市规划展览馆", "科技馆",
)

#: what a prose sentence says an activity did, instead of its purpose ("{n}" a number)
DETAILS: tuple[str, ...] = (
    "{give}{material}{n}余份", "现场{answer}群众咨询{n}余人次", "共有{k}家{firms}参加", "累计服务{firms}{k}家",
    "检查{firms}{k}户", "受益群众达{n}余人", "覆盖{k}个乡镇（街道）", "出动执法人员{k}人次",
    "帮助{k}家{firms}解决技术难题", "{give}{material}{n}余份，{answer}咨询{k}人次", "吸引{n}余名群众参与",
)
DETAIL_WORDS: dict[str, tuple[str, ...]] = {
    "give": ("发放", "向群众发放", "现场发放", "累计发放", "印发"),
    "material": ("宣传资料", "宣传折页", "质量安全知识手册", "质量提升倡议书", "消费提示", "宣传册",
                 "计量知识读本"),
    "answer": ("接受", "解答", "受理"),
    "firms": ("企业", "经营主体", "小微企业", "生产企业", "个体工商户", "规上企业"),
}

#: sentences that state the theme without reporting an action
THEME_SENTENCES: tuple[str, ...] = (
    "今年“质量月”活动的主题是“{theme}”。",
    "本届“质量月”活动的主题为“{theme}”。",
)
#: sentences explaining the Quality Month itself (never activities)
BACKGROUND: tuple[str, ...] = (
    "“质量月”活动是由国家有关部门共同发起的群众性质量活动，自1978年起每年9月举办，已成为推动质量提升的重要载体。",
    "“质量月”活动始于1978年，是我国持续时间最长、影响范围最广的群众性质量活动之一。",
    "每年9月在全国范围内举办的“质量月”活动，是动员全社会关注质量、参与质量提升的重要平台。",
    "“质量月”活动旨在增强全民质量意识，弘扬工匠精神，营造人人重视质量的社会氛围。",
)
#: speeches: "{who}强调，…" (the speech word stands in the sentence's first 16 characters)
SPEECH_VERBS: tuple[str, ...] = ("强调", "指出", "表示", "要求")
SPEECH_CONTENT: tuple[str, ...] = (
    "要坚持质量第一、效益优先，把“质量月”各项活动抓实抓细",
    "要以此次活动为契机，推动质量工作再上新台阶",
    "各部门要密切协作，形成齐抓共管的质量工作合力",
    "要坚持以人民为中心，让群众切实感受到质量提升带来的获得感",
    "要聚焦重点产业和民生领域，扎实推进质量强{lvl}建设",
)
#: who speaks ({pre} = the relative place word: 省, 市, 区, 县, 州); at most 8 characters, so
#: "会上，{who}{name}强调" keeps the speech word within the sentence's first 16
OFFICIALS: dict[str, tuple[str, ...]] = {
    "national": ("总局副局长", "质量发展局局长"),
    "provincial": ("{pre}政府副秘书长", "{pre}市场监管局局长"),
    "prefectural": ("副{pre}长", "{pre}市场监管局局长", "{pre}政府副秘书长"),
    "county": ("副{pre}长", "{pre}市场监管局局长", "{pre}政府办主任"),
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN: tuple[str, ...] = ("建国", "卫东", "明华", "志强", "晓燕", "海峰", "丽娟", "国庆", "文斌", "红梅",
                          "振宇", "春生", "秀英", "立新", "永刚")
#: closing words of a release (no action named)
RELEASE_CLOSINGS: tuple[str, ...] = (
    "活动现场气氛热烈，吸引了众多市民驻足参与。",
    "{scope}各级各部门将以“质量月”活动为契机，持续推动质量提升，为建设质量强{lvl}贡献力量。",
    "据了解，此次活动共吸引群众三千余人次参与，取得了良好的社会反响。",
)
#: who attended or presided over a release's launch ceremony (no activity of its own)
ATTENDANCE: tuple[str, ...] = (
    "{who}出席启动仪式并致辞。", "{who}主持启动仪式。", "{who}出席了本次启动仪式。",
    "各成员单位负责同志和企业代表共{k}余人参加启动仪式。",
)
#: sentences of a meeting report that name no action
MEETING_OTHER: tuple[str, ...] = (
    "会议通报了{year}年{scope}“质量月”活动筹备情况，研究了下一步重点工作。",
    "与会单位围绕各自领域重点任务作了交流发言。",
)
MEETING_SPEECHES: tuple[str, ...] = (
    "会议要求，各成员单位要提高思想认识，确保“质量月”各项活动取得实效。",
    "{who}出席会议并讲话。",
)
#: heads of a work summary's "一是…" paragraphs (no action named)
SUMMARY_HEADS: tuple[str, ...] = (
    "加强统筹协调", "加大宣传力度", "强化质量监管", "优化质量服务", "推动质量共治", "聚焦民生关切",
    "夯实质量基础", "突出行业特色",
)
SUMMARY_INTROS: tuple[str, ...] = (
    "{year}年“质量月”期间，{place}坚持以“{theme}”为主题，广泛动员各方力量，取得了积极成效。现将有关情况总结如下。",
    "按照上级统一部署，{place}紧紧围绕“{theme}”主题，精心谋划、周密安排，各项工作进展顺利。现将有关情况报告如下。",
)
#: page residue a portal prints around a release
BREADCRUMBS: tuple[str, ...] = (
    "首页 > 新闻中心 > 工作动态", "首页 > 政务公开 > 部门动态", "当前位置：首页 > 新闻动态 > 正文",
    "您现在的位置：首页 > 质量工作 > 质量月",
)
PAGE_TAILS: tuple[str, ...] = ("扫一扫在手机打开当前页", "【打印本页】【关闭窗口】", "分享到：")


# ------------------------------------------------------------------ activity tables
#
# A plan's activity table copied from a page or a DOCX as text: one cell per line (the
# header cells under 序号, then each row's cells), blank lines between, the row numbers
# sometimes left out, an empty cell written as a space or not at all.

#: the header cells, in order (roles in data/table_columns.tsv)
TABLE_HEADERS: tuple[tuple[str, ...], ...] = (
    ("序号", "活动内容", "活动时间", "牵头部门", "配合部门"),
    ("序号", "活动名称", "时间", "牵头单位", "协办单位"),
    ("序号", "主要活动", "活动时间", "责任单位", "参与单位"),
)
#: what a time cell says ("" = the cell is empty)
TABLE_TIMES: tuple[str, ...] = ("9月", "9月上旬", "9月中旬", "9月1日-30日", "9月10日", "全月", "")
