//! The concept tags in the replies' front matter (docs/tagging.md) were written against the
//! paragraph and heading numbering of the imported text. These tests pin them to that text: if
//! an importer change renumbers a reply, a tagged range would silently point at another
//! passage and `wenji check` would not notice. Here it fails, naming the range to re-check.
//!
//! Each pin is (reply, concept, range, the first characters of the range's first paragraph or
//! of its heading). A pin whose range is no longer in the front matter is skipped, so tags can
//! be edited freely; add a pin when you add a tag.

use std::path::Path;

use wenji::content::BlockKind;
use wenji::content::markdown::plain_text;
use wenji::link::Site;

fn site() -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut timings = Default::default();
    wenji::build::load_site(root, None, &mut timings)
        .unwrap_or_else(|e| panic!("the site does not load: {e:?}"))
}

fn reply<'a>(site: &'a Site, slug: &str) -> &'a wenji::link::Reply {
    site.replies
        .iter()
        .find(|r| r.page.meta.slug.value == slug)
        .unwrap_or_else(|| panic!("no reply `{slug}`"))
}

/// The plain text of paragraph `n` or of heading `id` of a reply.
fn text_at(r: &wenji::link::Reply, anchor: &str) -> Option<String> {
    if let Some(id) = anchor.strip_prefix('#') {
        return r.page.doc.blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Heading { id: h, events, .. } if h == id => Some(plain_text(events)),
            _ => None,
        });
    }
    let n: u32 = anchor.strip_prefix('p')?.parse().ok()?;
    r.page
        .doc
        .passages()
        .into_iter()
        .find(|p| p.number == n)
        .map(|p| plain_text(p.events))
}

#[test]
fn each_norm_quotes_frances_paragraph() {
    let site = site();
    let france = reply(&site, "france");
    let norms: Vec<_> = site
        .concepts
        .iter()
        .filter(|c| {
            c.page
                .meta
                .parent
                .as_ref()
                .is_some_and(|p| p.value == "norms")
        })
        .collect();
    assert_eq!(norms.len(), 11, "eleven norms, (a) to (k)");
    for c in norms {
        let m = &c.page.meta;
        let letter = m.slug.value.strip_prefix("norm-").expect("norm-x");
        let from = &m.wording_from.as_ref().expect("wording_from").value;
        let anchor = from.strip_prefix("france#").expect("quoted from France");
        let text = text_at(france, anchor).unwrap_or_else(|| panic!("france has no {anchor}"));
        let wording = m.wording.as_deref().expect("wording");
        assert_eq!(
            text,
            format!("规范({letter})：{wording}"),
            "{}: the wording must be France's {anchor} after its label",
            m.slug.value
        );
    }
}

#[test]
fn tagged_ranges_still_start_at_the_text_they_were_written_for() {
    let site = site();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for &(slug, concept, range, prefix) in PINS {
        let r = reply(&site, slug);
        let still_tagged = r
            .page
            .meta
            .concepts
            .get(concept)
            .is_some_and(|rs| rs.iter().any(|x| x.value == range));
        if !still_tagged {
            continue;
        }
        checked += 1;
        let first = if range.starts_with('#') {
            range
        } else {
            range.split('-').next().unwrap()
        };
        // Whitespace runs count as one space (the pins were read from the built HTML).
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        match text_at(r, first).map(|t| squeeze(&t)) {
            Some(t) if t.starts_with(&squeeze(prefix)) => {}
            Some(t) => wrong.push(format!(
                "{slug} {concept} {range}: {first} now starts `{}`, was `{prefix}`",
                t.chars().take(10).collect::<String>()
            )),
            None => wrong.push(format!("{slug} {concept} {range}: no {first}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "concept tags point at other text than they were written for; re-check them (docs/tagging.md):\n{}",
        wrong.join("\n")
    );
    assert!(checked > 0);
}

/// (reply, concept, range, first characters of the range's first paragraph or heading)
const PINS: &[(&str, &str, &str, &str)] = &[
    ("armenia", "norms", "p3", "政府专家组 2013"),
    ("armenia", "norm-d", "p2", "亚美尼亚充分致力于全"),
    ("armenia", "norm-e", "p1", "亚美尼亚高度重视在完"),
    (
        "armenia",
        "confidence-building",
        "p2",
        "亚美尼亚充分致力于全",
    ),
    (
        "armenia",
        "cooperation-and-capacity-building",
        "p1",
        "亚美尼亚高度重视在完",
    ),
    (
        "armenia",
        "cooperation-and-capacity-building",
        "p2",
        "亚美尼亚充分致力于全",
    ),
    ("armenia", "institutional-dialogue", "p3", "政府专家组 2013"),
    ("australia", "national-efforts", "p6", "大会在 2015 年"),
    ("australia", "norms", "p2", "总体而言，从国际安全"),
    ("australia", "norms", "#s2", "执行情况"),
    (
        "australia",
        "cooperation-and-capacity-building",
        "p8",
        "正如妇女与和平与安全",
    ),
    (
        "australia",
        "international-law",
        "p2",
        "总体而言，从国际安全",
    ),
    ("australia", "international-law", "#s1", "国际法"),
    (
        "australia",
        "institutional-dialogue",
        "p3",
        "澳大利亚再次承诺将按",
    ),
    (
        "australia",
        "institutional-dialogue",
        "p7",
        "2015 年政府专家",
    ),
    (
        "australia",
        "institutional-dialogue",
        "p8",
        "正如妇女与和平与安全",
    ),
    (
        "bosnia-and-herzegovina",
        "national-efforts",
        "#s1",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "norm-d",
        "p2",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "norm-d",
        "p21",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "norm-d",
        "p38",
        "与波斯尼亚和黑塞哥维",
    ),
    (
        "bosnia-and-herzegovina",
        "norm-g",
        "p36",
        "根据塞族共和国内政部",
    ),
    (
        "bosnia-and-herzegovina",
        "confidence-building",
        "p25",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p19",
        "在欧洲安全与合作组织",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p21-p24",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p26",
        "此外，波斯尼亚和黑塞",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p29",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p31",
        "波斯尼亚和黑塞哥维那",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p33",
        "联邦警察署已经认识到",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p37",
        "此外，该机构还参与了",
    ),
    (
        "bosnia-and-herzegovina",
        "cooperation-and-capacity-building",
        "p38",
        "与波斯尼亚和黑塞哥维",
    ),
    (
        "canada",
        "national-efforts",
        "p6-p10",
        "在国家一级，加拿大在",
    ),
    ("canada", "national-efforts", "p14", "加拿大在 2017 "),
    ("canada", "norms", "p4", "鼓励各国尊重商定的网"),
    ("canada", "norms", "p12", "加拿大正在多个国际论"),
    ("canada", "norm-e", "p13", "在联合国多边论坛上，"),
    ("canada", "norm-e", "p20", "加拿大是自由在线联盟"),
    (
        "canada",
        "confidence-building",
        "p5",
        "认为务实的建立信任措",
    ),
    (
        "canada",
        "confidence-building",
        "p19",
        "加拿大一直致力于在欧",
    ),
    (
        "canada",
        "cooperation-and-capacity-building",
        "p12",
        "加拿大正在多个国际论",
    ),
    (
        "canada",
        "cooperation-and-capacity-building",
        "p15-p18",
        "在 2018 年 6",
    ),
    (
        "canada",
        "cooperation-and-capacity-building",
        "p20",
        "加拿大是自由在线联盟",
    ),
    ("canada", "international-law", "p3", "认为国际法适用于各国"),
    ("canada", "international-law", "p14", "加拿大在 2017 "),
    (
        "canada",
        "institutional-dialogue",
        "p12",
        "加拿大正在多个国际论",
    ),
    ("canada", "institutional-dialogue", "p17", "自 2015 年以来"),
    (
        "colombia",
        "national-efforts",
        "p5-p11",
        "哥伦比亚在控制论领域",
    ),
    (
        "colombia",
        "national-efforts",
        "p26-p28",
        "哥伦比亚已在国家一级",
    ),
    (
        "colombia",
        "national-efforts",
        "p33-p38",
        "通过哥伦比亚网络安全",
    ),
    (
        "colombia",
        "national-efforts",
        "p40-p41",
        "关于事件的特征及其必",
    ),
    (
        "colombia",
        "national-efforts",
        "p43",
        "在这方面，国家经济和",
    ),
    (
        "colombia",
        "national-efforts",
        "p50-p52",
        "通信监管委员会方面发",
    ),
    (
        "colombia",
        "national-efforts",
        "p54-p55",
        "关于负责任地报告信通",
    ),
    (
        "colombia",
        "national-efforts",
        "p91-p93",
        "鉴于在应对事件和处理",
    ),
    (
        "colombia",
        "national-efforts",
        "p96",
        "关于制订与信通技术安",
    ),
    (
        "colombia",
        "national-efforts",
        "p99-p102",
        "为了促进国家网络能力",
    ),
    (
        "colombia",
        "national-efforts",
        "p104",
        "在“加强数字安全，区",
    ),
    (
        "colombia",
        "national-efforts",
        "p108-p111",
        "此外，还在私营实体和",
    ),
    ("colombia", "threats", "p13-p18", "对于技术不太先进的国"),
    ("colombia", "norms", "p19-p21", "哥伦比亚完全同意政府"),
    ("colombia", "norms", "p23-p24", "在这方面，哥伦比亚于"),
    ("colombia", "norms", "p120", "考虑到大会建议并欢迎"),
    ("colombia", "norm-a", "p22-p24", "哥伦比亚重申愿意遵循"),
    ("colombia", "norm-b", "p39-p40", "因此，一旦发生信通技"),
    ("colombia", "norm-c", "p41", "根据有关各国不应蓄意"),
    ("colombia", "norm-d", "p25", "此外，哥伦比亚支持法"),
    ("colombia", "norm-d", "p42-p47", "哥伦比亚寻求在国际一"),
    ("colombia", "norm-d", "p53", "哥伦比亚将参与国际合"),
    ("colombia", "norm-d", "p80-p84", "总检察长办公室内设有"),
    ("colombia", "norm-d", "p106", "关于法医技术以及为应"),
    ("colombia", "norm-e", "p48-p49", "哥伦比亚宪法法院发布"),
    ("colombia", "norm-g", "p8", "哥伦比亚计算机应急小"),
    ("colombia", "norm-g", "p52", "根据有关各国应采取适"),
    ("colombia", "norm-g", "p89", "各国应在此基础上制订"),
    ("colombia", "norm-h", "p53", "哥伦比亚将参与国际合"),
    ("colombia", "norm-i", "p53", "哥伦比亚将参与国际合"),
    ("colombia", "norm-j", "p17", "除了新威胁或由于令人"),
    ("colombia", "norm-j", "p54", "关于负责任地报告信通"),
    (
        "colombia",
        "confidence-building",
        "p4",
        "哥伦比亚总体上赞成建",
    ),
    ("colombia", "confidence-building", "#s3", "自愿建立信任措施"),
    (
        "colombia",
        "confidence-building",
        "p126",
        "因此，必须加强各国政",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p4",
        "哥伦比亚总体上赞成建",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p11-p12",
        "网络安全事件响应小组",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p15",
        "因此，应将缺乏能力视",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p18",
        "哥伦比亚重申十分愿意",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p21",
        "为加强各国执行建议的",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "p29-p32",
        "在安全事项上进行国际",
    ),
    (
        "colombia",
        "cooperation-and-capacity-building",
        "#s4",
        "信息和通信技术安全和",
    ),
    (
        "colombia",
        "international-law",
        "#s5",
        "国际法对各国使用信息",
    ),
    (
        "colombia",
        "international-law",
        "p123",
        "这些讨论对于调整国际",
    ),
    (
        "colombia",
        "institutional-dialogue",
        "p67",
        "应考虑促进有广泛参与",
    ),
    (
        "colombia",
        "institutional-dialogue",
        "p72-p73",
        "关于发展和支持双边、",
    ),
    (
        "colombia",
        "institutional-dialogue",
        "p122-p123",
        "鉴于信息和传播技术应",
    ),
    ("denmark", "national-efforts", "#s1", "在国家一级为加强信息"),
    ("denmark", "threats", "p10", "尽管我们共同努力，国"),
    ("denmark", "threats", "#s3", "现有和新出现的威胁"),
    ("denmark", "norms", "p9", "丹麦强调，正如国际社"),
    ("denmark", "norms", "p20", "现行国际法——并辅之"),
    ("denmark", "norms", "#s5", "负责任国家行为准则、"),
    ("denmark", "norm-c", "p14", "但在当前的 COVI"),
    ("denmark", "norm-e", "p18", "重要的是，各国不应利"),
    ("denmark", "norm-f", "p14", "但在当前的 COVI"),
    ("denmark", "norm-g", "p3", "《2018-2023"),
    ("denmark", "norm-i", "p8", "此外，丹麦在欧盟 5"),
    (
        "denmark",
        "confidence-building",
        "p22",
        "丹麦与欧盟及其成员国",
    ),
    (
        "denmark",
        "cooperation-and-capacity-building",
        "p7",
        "根据《2018-20",
    ),
    (
        "denmark",
        "cooperation-and-capacity-building",
        "p10",
        "尽管我们共同努力，国",
    ),
    ("denmark", "international-law", "p9", "丹麦强调，正如国际社"),
    (
        "denmark",
        "international-law",
        "#s4",
        "国际法如何适用于信通",
    ),
    (
        "denmark",
        "institutional-dialogue",
        "p17",
        "主权、不干涉和禁止使",
    ),
    (
        "denmark",
        "institutional-dialogue",
        "p21",
        "由于已经有一个关于网",
    ),
    (
        "european-union",
        "national-efforts",
        "#s1",
        "(a) 在国家一级为",
    ),
    ("european-union", "threats", "p2", "随着互联网越来越深入"),
    ("european-union", "threats", "p7", "对日益增长的网络安全"),
    ("european-union", "threats", "#s3", "现有和新出现的威胁"),
    ("european-union", "norms", "#s5", "负责任国家行为的规范"),
    ("european-union", "norm-c", "p12", "任何阻碍关键基础设施"),
    ("european-union", "norm-e", "p18", "此外，相关国际文书所"),
    ("european-union", "norm-f", "p12", "任何阻碍关键基础设施"),
    ("european-union", "norm-h", "p12", "任何阻碍关键基础设施"),
    (
        "european-union",
        "confidence-building",
        "p22",
        "欧盟及其成员国鼓励所",
    ),
    (
        "european-union",
        "confidence-building",
        "#s6",
        "建立信任措施",
    ),
    (
        "european-union",
        "cooperation-and-capacity-building",
        "p3",
        "欧盟及其成员国大力支",
    ),
    (
        "european-union",
        "cooperation-and-capacity-building",
        "p5",
        "2015 年 2 月",
    ),
    (
        "european-union",
        "cooperation-and-capacity-building",
        "p8",
        "欧盟的国际网络空间政",
    ),
    (
        "european-union",
        "cooperation-and-capacity-building",
        "#s7",
        "信通技术安全和能力建",
    ),
    (
        "european-union",
        "international-law",
        "p13-p14",
        "此外，正如联合国政府",
    ),
    (
        "european-union",
        "international-law",
        "#s4",
        "国际法如何适用于信通",
    ),
    ("france", "national-efforts", "p18", "法国针对这一规范采取"),
    ("france", "national-efforts", "p20", "法国还认识到，它有能"),
    (
        "france",
        "national-efforts",
        "p22-p30",
        "法国制定了以下在发生",
    ),
    (
        "france",
        "national-efforts",
        "p32-p36",
        "为确保其领土不被用来",
    ),
    ("france", "national-efforts", "p41", "法国极为重视在互联网"),
    ("france", "national-efforts", "p47", "本着这一规范的精神，"),
    ("france", "national-efforts", "p50", "如上所述，法国制定了"),
    ("france", "national-efforts", "p53", "为了组织危机管理，法"),
    ("france", "national-efforts", "p58", "法国还在国家网络安全"),
    ("france", "national-efforts", "p63-p64", "1988 年 1 月"),
    ("france", "threats", "#s1", "1. 对网络安全问题"),
    ("france", "norms", "p11-p12", "法国还认为，与网络安"),
    ("france", "norms", "p16", "法国通过其国家学说、"),
    ("france", "norm-a", "p17-p20", "规范(a)：各国应遵"),
    ("france", "norm-b", "p21-p30", "规范(b)：一旦发生"),
    ("france", "norm-c", "p31-p36", "规范(c)：各国不应"),
    ("france", "norm-c", "p74", "法国认为，对于其基础"),
    ("france", "norm-d", "p37-p39", "规范(d)：各国应考"),
    ("france", "norm-e", "p40-p45", "规范(e)：各国应在"),
    ("france", "norm-f", "p46-p48", "规范(f)：一国不应"),
    ("france", "norm-g", "p33", "已经要求至关重要的运"),
    ("france", "norm-g", "p35", "已经通过第 2018"),
    ("france", "norm-g", "p49-p50", "规范(g)：各国应考"),
    ("france", "norm-h", "p51-p55", "规范(h)：各国应对"),
    ("france", "norm-i", "p56-p59", "规范(i)：各国应采"),
    ("france", "norm-j", "p36", "已经通过第 2016"),
    ("france", "norm-j", "p60-p61", "规范(j)：各国应鼓"),
    ("france", "norm-k", "p62-p64", "规范(k)：各国不应"),
    (
        "france",
        "confidence-building",
        "p10",
        "法国积极参与欧洲安全",
    ),
    (
        "france",
        "confidence-building",
        "p55",
        "在欧安组织，法国一直",
    ),
    (
        "france",
        "cooperation-and-capacity-building",
        "#s3",
        "法国在国际合作、能力",
    ),
    ("france", "international-law", "p20", "法国还认识到，它有能"),
    ("france", "international-law", "p48", "法国还在其理论的公开"),
    ("france", "international-law", "#s5", "包括《联合国宪章》在"),
    (
        "france",
        "institutional-dialogue",
        "p6",
        "法国参加的前五个从国",
    ),
    (
        "georgia",
        "national-efforts",
        "p4-p5",
        "格鲁吉亚利用其所有资",
    ),
    (
        "georgia",
        "national-efforts",
        "p17-p22",
        "在网络安全领域各部门",
    ),
    ("georgia", "threats", "p3", "格鲁吉亚继续致力于发"),
    ("georgia", "norms", "p1", "格鲁吉亚政府在促进安"),
    ("georgia", "norm-g", "p19-p20", "格鲁吉亚还启动了另一"),
    (
        "georgia",
        "confidence-building",
        "p11",
        "格鲁吉亚和欧安组织。",
    ),
    (
        "georgia",
        "cooperation-and-capacity-building",
        "p6-p16",
        "加强网络安全领域的双",
    ),
    (
        "georgia",
        "cooperation-and-capacity-building",
        "p23",
        "最后，格鲁吉亚将继续",
    ),
    (
        "georgia",
        "institutional-dialogue",
        "p1",
        "格鲁吉亚政府在促进安",
    ),
    (
        "honduras",
        "national-efforts",
        "#s1",
        "关于从国际安全角度就",
    ),
    ("hungary", "national-efforts", "p8-p9", "2020 年 4 月"),
    ("hungary", "threats", "p8-p10", "2020 年 4 月"),
    ("hungary", "threats", "p15", "预计在未来几年，网络"),
    ("hungary", "norms", "p6-p7", "匈牙利赞同秘书长对恶"),
    ("hungary", "norms", "p20", "除了参加不同政府间谈"),
    ("hungary", "norm-b", "p12", "我们认为，能够威胁国"),
    ("hungary", "norm-d", "p16", "匈牙利对网络安全的承"),
    ("hungary", "norm-d", "p20", "除了参加不同政府间谈"),
    ("hungary", "norm-g", "p9", "人们普遍预计，网络攻"),
    (
        "hungary",
        "confidence-building",
        "p17",
        "作为我国的一个贡献，",
    ),
    (
        "hungary",
        "cooperation-and-capacity-building",
        "p7",
        "匈牙利支持秘书长为防",
    ),
    (
        "hungary",
        "cooperation-and-capacity-building",
        "#s4",
        "国际合作和其他多利益",
    ),
    ("hungary", "international-law", "p5", "匈牙利坚决支持以基于"),
    (
        "hungary",
        "international-law",
        "p11-p12",
        "发展攻击性和防御性网",
    ),
    (
        "hungary",
        "institutional-dialogue",
        "p2-p4",
        "匈牙利欢迎在联合国第",
    ),
    (
        "indonesia",
        "national-efforts",
        "#s1",
        "国家一级为加强信息安",
    ),
    ("indonesia", "threats", "p1", "印度尼西亚有超过 1"),
    ("indonesia", "threats", "p11", "国家和非国家行为体、"),
    ("indonesia", "norms", "p13-p14", "印度尼西亚支持根据 "),
    ("indonesia", "norms", "p16", "印度尼西亚支持所有国"),
    (
        "indonesia",
        "confidence-building",
        "p9",
        "在区域一级，印度尼西",
    ),
    (
        "indonesia",
        "confidence-building",
        "p12",
        "相互理解、合作、协作",
    ),
    (
        "indonesia",
        "cooperation-and-capacity-building",
        "#s3",
        "国际层面的努力",
    ),
    (
        "indonesia",
        "cooperation-and-capacity-building",
        "p12",
        "相互理解、合作、协作",
    ),
    (
        "indonesia",
        "international-law",
        "p15",
        "印度尼西亚对讨论在网",
    ),
    (
        "indonesia",
        "institutional-dialogue",
        "p8",
        "在全球多边参与方面，",
    ),
    ("ireland", "national-efforts", "p3", "联合国仍然是应对滥用"),
    ("ireland", "national-efforts", "#s1", "为加强信息安全和促进"),
    ("ireland", "threats", "p2", "信息和通信技术(信通"),
    ("ireland", "threats", "p14", "爱尔兰《国防白皮书》"),
    ("ireland", "threats", "#s9", "现存的和新出现的威胁"),
    ("ireland", "norms", "p4", "爱尔兰对网络问题的做"),
    ("ireland", "norms", "p17", "爱尔兰支持促进网络空"),
    ("ireland", "norms", "#s11", "各国负责任行为规范、"),
    ("ireland", "norm-c", "p22", "爱尔兰国家网络安全战"),
    ("ireland", "norm-d", "p17", "爱尔兰支持促进网络空"),
    ("ireland", "norm-e", "p17", "爱尔兰支持促进网络空"),
    ("ireland", "norm-e", "p23", "爱尔兰坚信包括《联合"),
    ("ireland", "norm-f", "p22", "爱尔兰国家网络安全战"),
    ("ireland", "norm-g", "p8", "识别和保护国家重要基"),
    (
        "ireland",
        "confidence-building",
        "p16",
        "爱尔兰欢迎欧洲安全与",
    ),
    ("ireland", "confidence-building", "#s12", "建立信任措施"),
    (
        "ireland",
        "cooperation-and-capacity-building",
        "p4",
        "爱尔兰对网络问题的做",
    ),
    (
        "ireland",
        "cooperation-and-capacity-building",
        "#s4",
        "双边、区域和多边做法",
    ),
    (
        "ireland",
        "cooperation-and-capacity-building",
        "#s5",
        "在欧洲联盟(欧盟)促",
    ),
    (
        "ireland",
        "cooperation-and-capacity-building",
        "#s6",
        "在联合国促进国际合作",
    ),
    (
        "ireland",
        "cooperation-and-capacity-building",
        "#s13",
        "能力建设措施",
    ),
    ("ireland", "international-law", "p4", "爱尔兰对网络问题的做"),
    ("ireland", "international-law", "#s10", "国际法"),
    (
        "ireland",
        "institutional-dialogue",
        "p3",
        "联合国仍然是应对滥用",
    ),
    (
        "ireland",
        "institutional-dialogue",
        "p20",
        "爱尔兰在联合国层面上",
    ),
    ("ireland", "institutional-dialogue", "#s8", "一般原则"),
    (
        "ireland",
        "institutional-dialogue",
        "p26",
        "爱尔兰国家网络安全战",
    ),
    ("italy", "national-efforts", "#s2", "在国家一级加强网络安"),
    ("italy", "norms", "p23-p24", "因此，意大利致力于根"),
    ("italy", "norms", "p26-p27", "参加国际论坛和支持遵"),
    ("italy", "norms", "p29", "意大利积极参与从国际"),
    ("italy", "norm-d", "p24", "意大利支持关于执行合"),
    ("italy", "norm-e", "p2", "对于本报告，意大利将"),
    ("italy", "norm-g", "p11", "国家网络安全周界(第"),
    ("italy", "norm-i", "p11", "国家网络安全周界(第"),
    ("italy", "norm-i", "p13", "已经转化为第 41/"),
    ("italy", "confidence-building", "p28", "在 2018 年意大"),
    (
        "italy",
        "cooperation-and-capacity-building",
        "#s4",
        "为促进网络安全领域国",
    ),
    ("italy", "international-law", "p19", "目前正在开展一项研究"),
    (
        "italy",
        "international-law",
        "p22-p23",
        "根据《意大利宪法》第",
    ),
    (
        "italy",
        "institutional-dialogue",
        "p29",
        "意大利积极参与从国际",
    ),
    ("japan", "national-efforts", "#s1", "1. 在国家一级为加"),
    ("japan", "threats", "p3", "网络空间和真实空间的"),
    ("japan", "threats", "#s5", "恶意网络行为对国际社"),
    ("japan", "norms", "#s6", "落实自愿非约束性负责"),
    ("japan", "norms", "#s7", "促进执行自愿非约束性"),
    ("japan", "norm-d", "p9", "促进法治对于国际和平"),
    ("japan", "norm-d", "p11", "在能力建设方面，随着"),
    (
        "japan",
        "confidence-building",
        "p10",
        "日本将努力在各国之间",
    ),
    (
        "japan",
        "confidence-building",
        "#s7",
        "促进执行自愿非约束性",
    ),
    (
        "japan",
        "cooperation-and-capacity-building",
        "#s3",
        "在国家一级为促进国际",
    ),
    (
        "japan",
        "cooperation-and-capacity-building",
        "#s7",
        "促进执行自愿非约束性",
    ),
    ("japan", "international-law", "p9", "促进法治对于国际和平"),
    (
        "japan",
        "institutional-dialogue",
        "p15",
        "为进一步加强各国在国",
    ),
    ("mexico", "national-efforts", "#s1", "1. 信息技术在在国"),
    ("mexico", "norms", "p2", "联合国关于网络空间稳"),
    (
        "mexico",
        "confidence-building",
        "p23-p29",
        "墨西哥还参加了美洲组",
    ),
    (
        "mexico",
        "confidence-building",
        "p33",
        "根据政府专家组以往报",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "p10",
        "自 2018 年以来",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "p12-p13",
        "根据该报告所载调查结",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s6",
        "(b) 数字技术之友",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s7",
        "(c) 联合国秘书长",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s8",
        "(d) 国际电信联盟",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s9",
        "(e) 美洲国家组织",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s10",
        "(f) 网络专业知识",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "#s11",
        "(g) 事件应对和安",
    ),
    (
        "mexico",
        "cooperation-and-capacity-building",
        "p34",
        "墨西哥十分重视政府专",
    ),
    ("mexico", "international-law", "p32", "根据政府专家组以往报"),
    (
        "mexico",
        "institutional-dialogue",
        "#s5",
        "(a) 联合国大会第",
    ),
    (
        "mexico",
        "institutional-dialogue",
        "p35",
        "在本报告所述期间，墨",
    ),
    (
        "singapore",
        "national-efforts",
        "p7-p10",
        "在国家一级，新加坡继",
    ),
    ("singapore", "norms", "p3-p4", "新加坡认为，各国需要"),
    ("singapore", "norm-f", "p3", "新加坡认为，各国需要"),
    ("singapore", "norm-g", "p3", "新加坡认为，各国需要"),
    ("singapore", "norm-g", "p8", "(a) 建设有抵御力"),
    ("singapore", "norm-i", "p9", "(b) 创建一个更安"),
    (
        "singapore",
        "cooperation-and-capacity-building",
        "p4-p6",
        "区域组织可以发挥重要",
    ),
    (
        "singapore",
        "institutional-dialogue",
        "p1-p2",
        "新加坡坚定致力于在网",
    ),
    ("turkey", "national-efforts", "#s1", "为加强信息安全和促进"),
    ("turkey", "threats", "p1", "信息和通信技术(信通"),
    ("turkey", "norms", "p21", "网络空间方面的国际和"),
    ("turkey", "norm-d", "p20", "土耳其还批准了《网络"),
    ("turkey", "norm-e", "p17", "随着信通技术在个人之"),
    ("turkey", "norm-g", "p4", "保护关键基础设施并提"),
    ("turkey", "norm-g", "p12", "在改善国家网络安全背"),
    ("turkey", "norm-i", "p6", "新技术的安全性(物联"),
    ("turkey", "norm-i", "p23", "此外，应予考虑的另一"),
    (
        "turkey",
        "cooperation-and-capacity-building",
        "p18-p19",
        "土耳其在许多组织中发",
    ),
    (
        "turkey",
        "cooperation-and-capacity-building",
        "p22-p23",
        "此外，改善协作和支持",
    ),
    ("turkey", "international-law", "p21", "网络空间方面的国际和"),
    (
        "ukraine",
        "national-efforts",
        "p3-p58",
        "为了组织有效行动以对",
    ),
    ("ukraine", "national-efforts", "p74", "乌克兰安全局还利用恶"),
    ("ukraine", "threats", "p1", "自俄罗斯联邦对乌克兰"),
    ("ukraine", "norm-d", "p34-p40", "《网络犯罪公约》的规"),
    ("ukraine", "norm-g", "p5", "今天，对乌克兰国家电"),
    ("ukraine", "norm-g", "p7-p8", "乌克兰政府关于批准关"),
    ("ukraine", "norm-g", "p17", "根据乌克兰全国标准化"),
    ("ukraine", "norm-g", "p22-p23", "加强关键基础设施的运"),
    ("ukraine", "norm-g", "p47-p50", "此外，建立国家关键基"),
    ("ukraine", "norm-i", "p24", "通过加入相关协定(关"),
    ("ukraine", "norm-i", "p52-p57", "仍然存在一个实际问题"),
    (
        "ukraine",
        "confidence-building",
        "p14",
        "使用欧洲安全与合作组",
    ),
    (
        "ukraine",
        "confidence-building",
        "p63",
        "参与在欧洲安全与合作",
    ),
    (
        "ukraine",
        "confidence-building",
        "p65-p66",
        "乌克兰安全局代表强调",
    ),
    (
        "ukraine",
        "cooperation-and-capacity-building",
        "p59-p73",
        "还应指出，乌克兰安全",
    ),
    ("ukraine", "international-law", "p2", "乌克兰在使用信息和通"),
    ("united-arab-emirates", "national-efforts", "#s2", "导言"),
    (
        "united-arab-emirates",
        "national-efforts",
        "#s3",
        "在国家一级为加强网络",
    ),
    (
        "united-arab-emirates",
        "national-efforts",
        "#s4",
        "努力加强国际网络安全",
    ),
    (
        "united-arab-emirates",
        "norms",
        "#s5",
        "对政府专家组报告中提",
    ),
    (
        "united-arab-emirates",
        "norm-g",
        "p6",
        "保护重要部门的数字基",
    ),
    (
        "united-arab-emirates",
        "norm-g",
        "p10",
        "为确保国内所有重要部",
    ),
    (
        "united-arab-emirates",
        "cooperation-and-capacity-building",
        "#s4",
        "努力加强国际网络安全",
    ),
];
