//! The fields a spreadsheet column can fill, per kind of record, with the English and Chinese
//! headers the base's spreadsheets use for them. Field names are the JSON paths of the API payloads.

/// One field a column can fill.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The JSON path in the API payload, such as `contact.email`.
    pub name: &'static str,
    /// Headers recognised without a mapping (compared after normalisation).
    pub headers: &'static [&'static str],
    /// Every file must have a column for it.
    pub required: bool,
}

const fn f(name: &'static str, headers: &'static [&'static str], required: bool) -> FieldSpec {
    FieldSpec {
        name,
        headers,
        required,
    }
}

/// Expert fields.
pub const EXPERT_FIELDS: &[FieldSpec] = &[
    f("id", &["id", "expert id", "编号", "专家编号", "专家id"], false),
    f("status", &["status", "review status", "状态", "审核状态"], false),
    f(
        "name",
        &["name", "full name", "expert", "姓名", "名字", "专家姓名", "专家"],
        true,
    ),
    f(
        "contact.email",
        &[
            "email",
            "e-mail",
            "mail",
            "email address",
            "邮箱",
            "电子邮件",
            "电子邮箱",
            "邮件",
            "邮箱地址",
            "电邮",
        ],
        true,
    ),
    f(
        "contact.phone",
        &[
            "phone",
            "telephone",
            "mobile",
            "tel",
            "电话",
            "手机",
            "联系电话",
            "手机号",
            "手机号码",
        ],
        false,
    ),
    f(
        "contact.other",
        &["other contact", "wechat", "微信", "其他联系方式"],
        false,
    ),
    f(
        "country",
        &[
            "country",
            "country code",
            "国家",
            "国家地区",
            "国别",
            "所在国家",
            "所在国",
        ],
        true,
    ),
    f("city", &["city", "城市", "所在城市"], true),
    f("timezone", &["timezone", "time zone", "tz", "时区"], true),
    f(
        "organisation",
        &[
            "organisation",
            "organization",
            "institution",
            "employer",
            "affiliation",
            "单位",
            "机构",
            "工作单位",
            "所在单位",
            "所在机构",
            "任职单位",
        ],
        true,
    ),
    f(
        "position",
        &["position", "title", "job title", "职位", "职称", "职务"],
        true,
    ),
    f("bio", &["bio", "biography", "简介", "个人简介", "专家简介"], false),
    f(
        "languages",
        &["languages", "language", "语言", "工作语言", "语言能力"],
        true,
    ),
    f(
        "skills",
        &["skills", "skill", "expertise", "技能", "专长", "技术专长", "研究方向"],
        true,
    ),
    f(
        "sectors",
        &[
            "sectors",
            "sector",
            "industry",
            "industries",
            "领域",
            "行业",
            "所属领域",
            "产业领域",
        ],
        false,
    ),
    f(
        "engagement_modes",
        &[
            "engagement modes",
            "engagement",
            "modes",
            "cooperation",
            "合作方式",
            "合作模式",
        ],
        true,
    ),
    f(
        "hours_per_month",
        &[
            "hours per month",
            "hours",
            "hours month",
            "每月小时",
            "每月小时数",
            "每月可投入小时",
            "每月时间",
        ],
        true,
    ),
    f(
        "preferences.need_types",
        &["need types wanted", "wanted need types", "意向需求类型"],
        false,
    ),
    f(
        "preferences.sectors",
        &["sectors wanted", "wanted sectors", "preferred sectors", "意向领域"],
        false,
    ),
    f("channel", &["channel", "source", "渠道", "来源渠道", "推荐渠道"], false),
    f(
        "consent.given",
        &["consent", "consent given", "同意", "已同意", "授权", "是否同意"],
        false,
    ),
    f(
        "consent.text_version",
        &[
            "consent version",
            "consent text version",
            "同意书版本",
            "授权版本",
            "知情同意版本",
        ],
        false,
    ),
];

/// Need fields.
pub const NEED_FIELDS: &[FieldSpec] = &[
    f("id", &["id", "need id", "编号", "需求编号", "需求id"], false),
    f("status", &["status", "状态", "需求状态"], false),
    f(
        "enterprise.name",
        &[
            "enterprise",
            "company",
            "enterprise name",
            "company name",
            "企业",
            "企业名称",
            "公司",
            "公司名称",
            "单位名称",
        ],
        true,
    ),
    f(
        "enterprise.zone",
        &["zone", "park", "district", "园区", "所在园区", "区域", "所在区"],
        true,
    ),
    f(
        "enterprise.contact.name",
        &["contact", "contact name", "contact person", "联系人"],
        false,
    ),
    f(
        "enterprise.contact.email",
        &["contact email", "email", "联系邮箱", "邮箱", "联系人邮箱", "电子邮件"],
        false,
    ),
    f(
        "enterprise.contact.phone",
        &["contact phone", "phone", "联系电话", "电话", "手机"],
        false,
    ),
    f(
        "title",
        &["title", "need title", "需求标题", "需求名称", "标题", "项目名称"],
        true,
    ),
    f(
        "description",
        &["description", "details", "需求描述", "描述", "需求详情", "详细描述"],
        false,
    ),
    f("need_type", &["need type", "type", "需求类型", "类型"], true),
    f(
        "skills",
        &["skills", "required skills", "技能", "所需技能", "技术需求", "技能要求"],
        true,
    ),
    f(
        "sectors",
        &["sectors", "sector", "industry", "领域", "行业", "所属领域"],
        false,
    ),
    f(
        "engagement_modes",
        &["engagement modes", "modes", "合作方式", "合作模式"],
        true,
    ),
    f(
        "languages",
        &["languages", "required languages", "语言", "语言要求"],
        false,
    ),
    f(
        "urgency",
        &["urgency", "priority", "紧急程度", "紧迫程度", "优先级"],
        true,
    ),
    f(
        "deadline",
        &["deadline", "due date", "截止日期", "期限", "截止时间"],
        false,
    ),
    f(
        "hours_per_month",
        &["hours per month", "hours", "每月小时", "每月小时数"],
        false,
    ),
    f(
        "indicators",
        &["indicators", "targets", "指标", "量化指标", "考核指标"],
        false,
    ),
];
