use super::*;
use crate::domain::{Aliases, Labels};

fn concept(
    id: &str,
    kind: TagKind,
    parent: Option<&str>,
    en: &str,
    zh: &str,
    fr: &str,
    en_aliases: &[&str],
) -> Concept {
    Concept {
        id: TagId::parse(id).unwrap(),
        kind,
        parent: parent.map(|p| TagId::parse(p).unwrap()),
        labels: Labels {
            en: en.into(),
            zh: zh.into(),
            fr: fr.into(),
        },
        aliases: Aliases {
            en: en_aliases.iter().map(|s| s.to_string()).collect(),
            ..Aliases::default()
        },
    }
}

pub(crate) fn small() -> Taxonomy {
    Taxonomy::build(vec![
        concept(
            "ai",
            TagKind::Sector,
            None,
            "artificial intelligence",
            "人工智能",
            "intelligence artificielle",
            &["AI"],
        ),
        concept(
            "ai.ml",
            TagKind::Skill,
            Some("ai"),
            "machine learning",
            "机器学习",
            "apprentissage automatique",
            &[],
        ),
        concept(
            "ai.ml.deep-learning",
            TagKind::Skill,
            Some("ai.ml"),
            "deep learning",
            "深度学习",
            "apprentissage profond",
            &[],
        ),
        concept(
            "ai.nlp",
            TagKind::Skill,
            Some("ai"),
            "natural language processing",
            "自然语言处理",
            "traitement automatique des langues",
            &["NLP"],
        ),
        concept(
            "ic",
            TagKind::Sector,
            None,
            "integrated circuits",
            "集成电路",
            "circuits intégrés",
            &["IC"],
        ),
    ])
    .unwrap()
}

#[test]
fn every_language_and_alias_resolves_to_the_same_concept() {
    let t = small();
    for input in [
        "人工智能",
        "intelligence artificielle",
        "artificial intelligence",
        "AI",
        "ai",
        "ＡＩ",
        " Artificial  Intelligence ",
    ] {
        assert_eq!(t.resolve(input).map(|id| id.as_str()), Some("ai"), "{input}");
    }
}

#[test]
fn traditional_chinese_input_resolves() {
    assert_eq!(small().resolve("集成電路").map(|i| i.as_str()), Some("ic"));
}

#[test]
fn search_puts_the_exact_concept_first_in_every_language() {
    let t = small();
    for q in ["人工智能", "intelligence artificielle", "artificial intelligence", "AI"] {
        let hits = t.search(q, None, None, 5);
        assert_eq!(hits[0].concept.id.as_str(), "ai", "{q}");
    }
}

#[test]
fn search_finds_prefixes() {
    let t = small();
    let hits = t.search("mach", None, None, 5);
    assert_eq!(hits[0].concept.id.as_str(), "ai.ml");
}

#[test]
fn unknown_input_gets_the_nearest_labels() {
    let t = small();
    let err = t.lookup("machine lerning", None).unwrap_err();
    assert!(err[0].contains("ai.ml"), "{err:?}");
}

#[test]
fn lookup_respects_the_kind() {
    let t = small();
    assert!(t.lookup("AI", Some(TagKind::Skill)).is_err());
    assert!(t.lookup("AI", Some(TagKind::Sector)).is_ok());
}

#[test]
fn narrower_concepts_are_within_their_ancestors() {
    let t = small();
    let dl = TagId::parse("ai.ml.deep-learning").unwrap();
    assert!(t.is_within(&dl, &TagId::parse("ai").unwrap()));
    assert!(!t.is_within(&dl, &TagId::parse("ai.nlp").unwrap()));
    assert_eq!(t.ancestors(&dl).len(), 2);
}

#[test]
fn a_missing_parent_is_rejected() {
    let err = Taxonomy::build(vec![concept("x.y", TagKind::Skill, Some("x"), "a", "b", "c", &[])]);
    assert!(err.is_err());
}

#[test]
fn a_sector_under_a_skill_is_rejected() {
    let err = Taxonomy::build(vec![
        concept("x", TagKind::Skill, None, "a", "b", "c", &[]),
        concept("x.y", TagKind::Sector, Some("x"), "d", "e", "f", &[]),
    ]);
    assert!(err.is_err());
}

#[test]
fn a_name_shared_by_two_concepts_is_rejected() {
    let t = small();
    let clash = concept(
        "ai.cv",
        TagKind::Skill,
        Some("ai"),
        "computer vision",
        "计算机视觉",
        "vision par ordinateur",
        &["nlp"],
    );
    match t.with(clash) {
        Err(Error::Conflict { code, .. }) => assert_eq!(code, "label_taken"),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn adding_a_concept_makes_it_resolvable() {
    let t = small();
    let cv = concept(
        "ai.cv",
        TagKind::Skill,
        Some("ai"),
        "computer vision",
        "计算机视觉",
        "vision par ordinateur",
        &["CV"],
    );
    let t2 = t.with(cv).unwrap();
    assert_eq!(t2.resolve("vision par ordinateur").map(|i| i.as_str()), Some("ai.cv"));
    assert_eq!(t2.children(&TagId::parse("ai").unwrap()).len(), 3);
}
