//! Locale conventions for numbers, currencies, percentages and dates.
//!
//! This ships inside the wasm module, so instead of ICU it carries one compact
//! table: per locale the separators, grouping, currency/percent placement and
//! date/time patterns, per language the month, weekday and day-part names.
//! The data follows CLDR conventions (v44 era, `latn` numbering system),
//! simplified where noted:
//!
//! * Digits are always ASCII, including `ar-*` (CLDR's default numbering
//!   system for `ar-AE` is `latn`; `ar-SA` would use Arabic-Indic digits, we
//!   keep Latin ones so the output never depends on font coverage for them).
//! * The minus is always a leading hyphen-minus `-`, before any symbol
//!   (`-€ 49,99`, `-%25`), not CLDR's per-locale U+2212 or pattern position.
//! * Spaces inside a value are no-break: U+00A0, or U+202F (narrow) where CLDR
//!   uses it (French grouping and percent), so a value never wraps.
//! * Dates are Gregorian everywhere (CLDR's `ar-SA` default is Islamic).
//!   `short` is all-numeric with a 4-digit year, `medium` uses the abbreviated
//!   month name, `long` the full one (the format-context form: genitive in
//!   Slavic languages, partitive in Finnish), `weekday` is the full weekday
//!   name, `time` is the short time, `daypart` names the part of the day.
//! * Rounding is half away from zero on the shortest decimal representation
//!   of the `f64` (so `1.005` rounds to `1.01`, as a person reading it expects).
//!
//! Locale tags are BCP 47 (`de-CH`, `pt_BR`, `zh-Hans-CN` all work,
//! case-insensitive), resolved language-region → language → `en-US`.

use std::borrow::Cow;

/// What non-finite numbers (NaN, ±infinity) render as.
pub const NOT_A_NUMBER: &str = "—";

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

/// Grouping: 1,234,567.
const G3: u8 = 0;
/// Like [`G3`] but 4-digit integers stay ungrouped (CLDR minimumGroupingDigits = 2).
const G3M2: u8 = 1;
/// Indian grouping: 12,34,567.
const GIN: u8 = 2;

/// Currency symbol before the number, no space (one is added if the symbol ends in a letter).
const PRE: u8 = 0;
/// Symbol, no-break space, number.
const PRE_SP: u8 = 1;
/// Number, no-break space, symbol.
const POST: u8 = 2;

/// One locale's conventions.
struct Loc {
    tag: &'static str,
    dec: char,
    grp: char,
    grouping: u8,
    cur: u8,
    /// Percent pattern, `#` stands for the number.
    pct: &'static str,
    /// Default currency (ISO 4217).
    currency: &'static str,
    /// short, medium, long: `%d`/`%D` day (2-digit), `%m`/`%M` month number,
    /// `%b`/`%B` month name abbreviated/full, `%Y` year.
    dates: [&'static str; 3],
    /// `%H`/`%k` hour 0-23 (2-digit/plain), `%I` hour 1-12, `%N` minutes, `%p` marker.
    time: &'static str,
    /// `am|pm` markers for 12-hour locales.
    ampm: &'static str,
}

macro_rules! loc {
    ($tag:expr, $dec:expr, $grp:expr, $g:expr, $cur:expr, $pct:expr, $ccy:expr, $dates:expr, $time:expr, $ampm:expr) => {
        Loc {
            tag: $tag,
            dec: $dec,
            grp: $grp,
            grouping: $g,
            cur: $cur,
            pct: $pct,
            currency: $ccy,
            dates: $dates,
            time: $time,
            ampm: $ampm,
        }
    };
}

const P: &str = "#%";
const P_SP: &str = "#\u{a0}%";
const D_EN: [&str; 3] = ["%D/%M/%Y", "%d %b %Y", "%d %B %Y"];
const D_DOT: [&str; 3] = ["%D.%M.%Y", "%d. %b %Y", "%d. %B %Y"];
const D_ISO: [&str; 3] = ["%Y-%M-%D", "%d %b %Y", "%d %B %Y"];
const D_PT: [&str; 3] = ["%D/%M/%Y", "%d de %b de %Y", "%d de %B de %Y"];
const D_AR: [&str; 3] = ["%d/%m/%Y", "%d %b %Y", "%d %B %Y"];
const T24: &str = "%H:%N";
const T24S: &str = "%k:%N";
const T12: &str = "%I:%N\u{a0}%p";

/// The locale table. The first entry of each language is its fallback, the
/// very first entry the global one.
#[rustfmt::skip]
const LOCALES: &[Loc] = &[
    loc!("en-US", '.', ',', G3, PRE, P, "USD", ["%m/%d/%Y", "%b %d, %Y", "%B %d, %Y"], T12, "AM|PM"),
    loc!("en-GB", '.', ',', G3, PRE, P, "GBP", D_EN, T24, ""),
    loc!("en-IE", '.', ',', G3, PRE, P, "EUR", D_EN, T24, ""),
    loc!("en-AU", '.', ',', G3, PRE, P, "AUD", D_EN, T12, "am|pm"),
    loc!("en-CA", '.', ',', G3, PRE, P, "CAD", ["%Y-%M-%D", "%b %d, %Y", "%B %d, %Y"], T12, "a.m.|p.m."),
    loc!("en-IN", '.', ',', GIN, PRE, P, "INR", D_EN, T12, "am|pm"),
    loc!("de-DE", ',', '.', G3, POST, P_SP, "EUR", D_DOT, T24, ""),
    loc!("de-AT", ',', NBSP, G3, PRE_SP, P_SP, "EUR", D_DOT, T24, ""),
    loc!("de-CH", '.', '’', G3, PRE_SP, P, "CHF", D_DOT, T24, ""),
    loc!("fr-FR", ',', NNBSP, G3, POST, "#\u{202f}%", "EUR", ["%D/%M/%Y", "%d %b %Y", "%d %B %Y"], T24, ""),
    loc!("fr-CA", ',', NBSP, G3, POST, P_SP, "CAD", D_ISO, "%H\u{a0}h\u{a0}%N", ""),
    loc!("fr-CH", ',', NNBSP, G3, POST, P, "CHF", ["%D.%M.%Y", "%d %b %Y", "%d %B %Y"], T24, ""),
    loc!("es-ES", ',', '.', G3M2, POST, P_SP, "EUR", ["%d/%m/%Y", "%d %b %Y", "%d de %B de %Y"], T24S, ""),
    loc!("es-MX", '.', ',', G3, PRE, P_SP, "MXN", ["%D/%M/%Y", "%d %b %Y", "%d de %B de %Y"], T24S, ""),
    loc!("it-IT", ',', '.', G3, POST, P, "EUR", D_EN, T24, ""),
    loc!("nl-NL", ',', '.', G3, PRE_SP, P, "EUR", ["%D-%M-%Y", "%d %b %Y", "%d %B %Y"], T24, ""),
    loc!("pt-BR", ',', '.', G3, PRE_SP, P, "BRL", D_PT, T24, ""),
    loc!("pt-PT", ',', NBSP, G3M2, POST, P, "EUR", D_PT, T24, ""),
    loc!("sv-SE", ',', NBSP, G3, POST, P_SP, "SEK", D_ISO, T24, ""),
    loc!("da-DK", ',', '.', G3, POST, P_SP, "DKK", D_DOT, "%H.%N", ""),
    loc!("nb-NO", ',', NBSP, G3, POST, P_SP, "NOK", D_DOT, T24, ""),
    loc!("fi-FI", ',', NBSP, G3, POST, P_SP, "EUR", ["%d.%m.%Y", "%d. %b %Y", "%d. %B %Y"], "%k.%N", ""),
    loc!("pl-PL", ',', NBSP, G3M2, POST, P, "PLN", ["%D.%M.%Y", "%d %b %Y", "%d %B %Y"], T24, ""),
    loc!("cs-CZ", ',', NBSP, G3, POST, P_SP, "CZK", ["%d.%m.%Y", "%d. %b %Y", "%d. %B %Y"], T24S, ""),
    loc!("tr-TR", ',', '.', G3, PRE, "%#", "TRY", ["%D.%M.%Y", "%d %b %Y", "%d %B %Y"], T24, ""),
    loc!("ru-RU", ',', NBSP, G3, POST, P_SP, "RUB", ["%D.%M.%Y", "%d %b %Y г.", "%d %B %Y г."], T24, ""),
    loc!("ja-JP", '.', ',', G3, PRE, P, "JPY", ["%Y/%M/%D", "%Y年%m月%d日", "%Y年%m月%d日"], T24S, ""),
    loc!("zh-CN", '.', ',', G3, PRE, P, "CNY", ["%Y/%m/%d", "%Y年%m月%d日", "%Y年%m月%d日"], T24, ""),
    loc!("ko-KR", '.', ',', G3, PRE, P, "KRW", ["%Y. %m. %d.", "%Y. %m. %d.", "%Y년 %m월 %d일"], "%p %I:%N", "오전|오후"),
    loc!("ar-AE", '.', ',', G3, POST, P, "AED", D_AR, T12, "ص|م"),
    loc!("ar-SA", '.', ',', G3, POST, P, "SAR", D_AR, T12, "ص|م"),
    loc!("he-IL", '.', ',', G3, POST, P, "ILS", ["%d.%m.%Y", "%d ב%b %Y", "%d ב%B %Y"], T24S, ""),
    loc!("hi-IN", '.', ',', GIN, PRE, P, "INR", D_AR, T12, "am|pm"),
];

/// Names per language, `|`-separated: months (format context, full and
/// abbreviated; empty for CJK, whose patterns are numeric), weekdays from
/// Monday, day parts (morning 05–12, afternoon 12–17, evening 17–21, night).
#[rustfmt::skip]
const NAMES: &[[&str; 5]] = &[
    ["en", "January|February|March|April|May|June|July|August|September|October|November|December",
        "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
        "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", "morning|afternoon|evening|night"],
    ["de", "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember",
        "Jan.|Feb.|März|Apr.|Mai|Juni|Juli|Aug.|Sept.|Okt.|Nov.|Dez.",
        "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag", "Morgen|Nachmittag|Abend|Nacht"],
    ["fr", "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
        "janv.|févr.|mars|avr.|mai|juin|juil.|août|sept.|oct.|nov.|déc.",
        "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche", "matin|après-midi|soir|nuit"],
    ["es", "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre",
        "ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic",
        "lunes|martes|miércoles|jueves|viernes|sábado|domingo", "mañana|tarde|tarde|noche"],
    ["it", "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre",
        "gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic",
        "lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica", "mattina|pomeriggio|sera|notte"],
    ["nl", "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
        "jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec",
        "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag", "ochtend|middag|avond|nacht"],
    ["pt", "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro",
        "jan.|fev.|mar.|abr.|mai.|jun.|jul.|ago.|set.|out.|nov.|dez.",
        "segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo", "manhã|tarde|noite|noite"],
    ["sv", "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december",
        "jan.|feb.|mars|apr.|maj|juni|juli|aug.|sep.|okt.|nov.|dec.",
        "måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag", "morgon|eftermiddag|kväll|natt"],
    ["da", "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december",
        "jan.|feb.|mar.|apr.|maj|jun.|jul.|aug.|sep.|okt.|nov.|dec.",
        "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag", "morgen|eftermiddag|aften|nat"],
    ["nb", "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember",
        "jan.|feb.|mar.|apr.|mai|jun.|jul.|aug.|sep.|okt.|nov.|des.",
        "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag", "morgen|ettermiddag|kveld|natt"],
    ["fi", "tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta",
        "tammik.|helmik.|maalisk.|huhtik.|toukok.|kesäk.|heinäk.|elok.|syysk.|lokak.|marrask.|jouluk.",
        "maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai", "aamu|iltapäivä|ilta|yö"],
    ["pl", "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia",
        "sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru",
        "poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela", "rano|popołudnie|wieczór|noc"],
    ["cs", "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince",
        "led|úno|bře|dub|kvě|čvn|čvc|srp|zář|říj|lis|pro",
        "pondělí|úterý|středa|čtvrtek|pátek|sobota|neděle", "ráno|odpoledne|večer|noc"],
    ["tr", "Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık",
        "Oca|Şub|Mar|Nis|May|Haz|Tem|Ağu|Eyl|Eki|Kas|Ara",
        "Pazartesi|Salı|Çarşamba|Perşembe|Cuma|Cumartesi|Pazar", "sabah|öğleden sonra|akşam|gece"],
    ["ru", "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря",
        "янв.|февр.|мар.|апр.|мая|июн.|июл.|авг.|сент.|окт.|нояб.|дек.",
        "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье", "утро|день|вечер|ночь"],
    ["ja", "", "", "月曜日|火曜日|水曜日|木曜日|金曜日|土曜日|日曜日", "朝|昼|夕方|夜"],
    ["zh", "", "", "星期一|星期二|星期三|星期四|星期五|星期六|星期日", "上午|下午|晚上|夜里"],
    ["ko", "", "", "월요일|화요일|수요일|목요일|금요일|토요일|일요일", "아침|오후|저녁|밤"],
    ["ar", "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر", "",
        "الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد", "صباحًا|بعد الظهر|مساءً|ليلًا"],
    ["he", "ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר",
        "ינו׳|פבר׳|מרץ|אפר׳|מאי|יוני|יולי|אוג׳|ספט׳|אוק׳|נוב׳|דצמ׳",
        "יום שני|יום שלישי|יום רביעי|יום חמישי|יום שישי|יום שבת|יום ראשון", "בוקר|אחר הצהריים|ערב|לילה"],
    ["hi", "जनवरी|फ़रवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|अक्तूबर|नवंबर|दिसंबर",
        "जन॰|फ़र॰|मार्च|अप्रैल|मई|जून|जुल॰|अग॰|सित॰|अक्तू॰|नव॰|दिस॰",
        "सोमवार|मंगलवार|बुधवार|गुरुवार|शुक्रवार|शनिवार|रविवार", "सुबह|दोपहर|शाम|रात"],
];

/// Currencies: code, symbol elsewhere, symbol where it is the locale's own
/// currency (CLDR: `CA$` abroad but `$` in Canada; Nordic `kr` only at home).
#[rustfmt::skip]
const CURRENCIES: &[[&str; 3]] = &[
    ["USD", "$", "$"], ["EUR", "€", "€"], ["GBP", "£", "£"], ["JPY", "¥", "¥"], ["CHF", "CHF", "CHF"],
    ["CAD", "CA$", "$"], ["AUD", "A$", "$"], ["NZD", "NZ$", "$"], ["MXN", "MX$", "$"], ["BRL", "R$", "R$"],
    ["INR", "₹", "₹"], ["CNY", "CN¥", "¥"], ["KRW", "₩", "₩"], ["HKD", "HK$", "HK$"], ["SEK", "SEK", "kr"],
    ["DKK", "DKK", "kr."], ["NOK", "NOK", "kr"], ["PLN", "PLN", "zł"], ["CZK", "CZK", "Kč"], ["TRY", "₺", "₺"],
    ["RUB", "₽", "₽"], ["AED", "AED", "د.إ"], ["SAR", "SAR", "ر.س"], ["ILS", "₪", "₪"],
];

/// Resolves a BCP 47 tag (`de-CH`, `pt_BR`, `zh-Hans-CN`, any case) to a table
/// entry: language-region, else the language's first entry, else `en-US`.
fn resolve(tag: &str) -> &'static Loc {
    let mut subtags = tag.trim().split(['-', '_']);
    let first = subtags.next().unwrap_or("");
    let lang = match first.to_ascii_lowercase().as_str() {
        "no" | "nn" => "nb",
        "iw" => "he",
        _ => first,
    };
    // The region is the first 2-letter or 3-digit subtag; stop at extensions (`-u-…`).
    let region = subtags.take_while(|s| s.len() > 1).find(|s| {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic())
            || s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())
    });
    let same_lang =
        |l: &&Loc| l.tag.get(..2).is_some_and(|x| x.eq_ignore_ascii_case(lang)) && lang.len() == 2;
    region
        .and_then(|r| {
            LOCALES
                .iter()
                .filter(same_lang)
                .find(|l| l.tag.get(3..).is_some_and(|x| x.eq_ignore_ascii_case(r)))
        })
        .or_else(|| LOCALES.iter().find(same_lang))
        .unwrap_or(&LOCALES[0])
}

/// The canonical tag a locale resolves to, e.g. `pt_br` → `pt-BR`, `de-LU` → `de-DE`, `xx` → `en-US`.
pub fn resolve_locale(locale: &str) -> &'static str {
    resolve(locale).tag
}

/// The default currency (ISO 4217 code) of a locale, e.g. `de-CH` → `CHF`, `fr` → `EUR`.
pub fn locale_default_currency(locale: &str) -> &'static str {
    resolve(locale).currency
}

/// Number of fraction digits a currency is shown with (ISO 4217 minor units).
pub fn currency_decimals(code: &str) -> u8 {
    match code.to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" => 0,
        _ => 2,
    }
}

/// `|`-separated list item, or "" past its end.
fn nth(list: &str, i: usize) -> &str {
    list.split('|').nth(i).unwrap_or("")
}

/// Splits `|x| × 10^shift` into integer and fraction digits (ASCII), rounded
/// half away from zero at `decimals` places. Works on the shortest round-trip
/// decimal digits of the f64, so `1.005` is 1.005 and not 1.00499999…; this
/// also makes the ×100 of percentages exact. Returns (is_negative, int, frac).
fn fixed(x: f64, decimals: usize, shift: i32) -> (bool, String, String) {
    let s = format!("{:e}", x.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let ds: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // Number of digits before the decimal point (may be ≤ 0 for tiny values).
    let point = exp.parse::<i32>().unwrap_or(0) + 1 + shift;
    let int_len = point.max(1);
    let digit = |j: i32| {
        usize::try_from(point - int_len + j)
            .ok()
            .and_then(|i| ds.get(i).copied())
            .unwrap_or(0)
    };
    let total = int_len + decimals as i32;
    let mut out: Vec<u8> = (0..total).map(digit).collect();
    if digit(total) >= 5 {
        let mut carry = true;
        for d in out.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            out.insert(0, 1);
        }
    }
    let split = out.len() - decimals;
    let first = out[..split]
        .iter()
        .position(|&d| d != 0)
        .unwrap_or(split.saturating_sub(1));
    let text = |ds: &[u8]| ds.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let negative = x.is_sign_negative() && out.iter().any(|&d| d != 0);
    (negative, text(&out[first..split]), text(&out[split..]))
}

/// Formats the digits of `x` with the locale's separators; `None` if not finite.
fn digits(x: f64, decimals: u8, trim: bool, shift: i32, l: &Loc) -> Option<(bool, String)> {
    if !x.is_finite() {
        return None;
    }
    let (neg, int, mut frac) = fixed(x, decimals.into(), shift);
    if trim {
        frac.truncate(frac.trim_end_matches('0').len());
    }
    let n = int.len();
    let grouped = l.grouping != G3M2 || n > 4;
    let mut out = String::with_capacity(n + n / 3 + frac.len() + 2);
    for (i, c) in int.chars().enumerate() {
        let left = n - i;
        let boundary = if l.grouping == GIN {
            left == 3 || left > 3 && (left - 3) % 2 == 0
        } else {
            left % 3 == 0
        };
        if i > 0 && grouped && boundary {
            out.push(l.grp);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(l.dec);
        out.push_str(&frac);
    }
    Some((neg, out))
}

fn signed(neg: bool, body: String) -> String {
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

/// Rounds half away from zero at `decimals` places on the decimal value
/// (`round_decimal(1.005, 2) == 1.01`, `round_decimal(-2.5, 0) == -3.0`).
pub fn round_decimal(x: f64, decimals: u8) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let (neg, int, frac) = fixed(x, decimals.into(), 0);
    let v: f64 = format!("{int}.{frac}0").parse().unwrap_or(x);
    if neg {
        -v
    } else {
        v
    }
}

/// Formats a number with the locale's separators: `decimals` exact fraction
/// digits, or `None` for up to 3 with trailing zeros trimmed (CLDR `#,##0.###`).
/// `1234.5` → `1,234.5` (en), `1.234,5` (de), `1 234,5` (fr, U+202F), `1’234.5` (de-CH).
pub fn format_number(x: f64, decimals: Option<u8>, locale: &str) -> String {
    let l = resolve(locale);
    match digits(x, decimals.unwrap_or(3), decimals.is_none(), 0, l) {
        Some((neg, body)) => signed(neg, body),
        None => NOT_A_NUMBER.into(),
    }
}

/// Formats a ratio as a percentage: `0.25` → `25%` (en), `25 %` (de, U+00A0),
/// `%25` (tr). Like CSS and ICU, the value is multiplied by 100 (exactly, in
/// decimal), so pass 0.25 for 25 %. `decimals` defaults to 0.
pub fn format_percent(x: f64, decimals: Option<u8>, locale: &str) -> String {
    let l = resolve(locale);
    match digits(x, decimals.unwrap_or(0), false, 2, l) {
        Some((neg, body)) => signed(neg, l.pct.replace('#', &body)),
        None => NOT_A_NUMBER.into(),
    }
}

/// The symbol of `code` (upper case ISO 4217) in locale `l`.
fn symbol(code: &str, l: &Loc) -> Cow<'static, str> {
    let local = |c: &str| {
        CURRENCIES
            .iter()
            .find(|e| e[0] == c)
            .map(|e| if c == l.currency { e[2] } else { e[1] })
    };
    match code {
        // A bare `$` would read as the local dollar in CA, AU, MX, BR…
        "USD" if l.currency != "USD" && local(l.currency).is_some_and(|s| s.contains('$')) => {
            "US$".into()
        }
        "JPY" if l.tag.starts_with("zh") => "JP¥".into(),
        _ => local(code).map_or_else(|| Cow::Owned(code.to_string()), Cow::Borrowed),
    }
}

/// Formats an amount of money: `format_currency(49.99, "EUR", "de")` →
/// `49,99 €`, `("EUR", "en")` → `€49.99`, `("CHF", "de-CH")` → `CHF 49.90`,
/// `("JPY", "ja")` → `¥5,000` (0 decimals for JPY/KRW). Unknown codes show
/// as the code and a space. The code is case-insensitive.
pub fn format_currency(x: f64, code: &str, locale: &str) -> String {
    let l = resolve(locale);
    let code = code.trim().to_ascii_uppercase();
    let Some((neg, body)) = digits(x, currency_decimals(&code), false, 0, l) else {
        return NOT_A_NUMBER.into();
    };
    let sym = symbol(&code, l);
    // CLDR currencySpacing: a symbol ending in a letter never touches the digits.
    let letter = sym.chars().last().is_some_and(char::is_alphabetic);
    signed(
        neg,
        match l.cur {
            PRE if !letter => format!("{sym}{body}"),
            POST => format!("{body}{NBSP}{sym}"),
            _ => format!("{sym}{NBSP}{body}"),
        },
    )
}

/// A calendar date and wall-clock time, without time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDateTime {
    /// Year, 1..=9999.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=60 (a leap second is kept as written).
    pub second: u8,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl CivilDateTime {
    /// A validated date-time; `None` if any field is out of range.
    pub fn new(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && second <= 60;
        ok.then_some(CivilDateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Parses ISO 8601 `2026-11-23`, `2026-11-23T19:30`, `2026-11-23T19:30:00`,
    /// optionally with fractional seconds and `Z`/`±hh:mm`. The offset is
    /// ignored: the wall time is kept as written (an ad shows the event's local time).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let s = s.trim();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let t = s.get(r)?;
            t.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| t.parse().ok())?
        };
        let sep = |i: usize, c: &[u8]| s.as_bytes().get(i).is_some_and(|b| c.contains(b));
        if !(sep(4, b"-") && sep(7, b"-")) {
            return None;
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (mut h, mut mi, mut sec, mut rest) = (0, 0, 0, s.get(10..)?);
        if !rest.is_empty() {
            if !(sep(10, b"Tt ") && sep(13, b":")) {
                return None;
            }
            h = num(11..13)?;
            mi = num(14..16)?;
            rest = s.get(16..)?;
            if sep(16, b":") {
                sec = num(17..19)?;
                rest = s.get(19..)?;
                if let Some(f) = rest.strip_prefix(['.', ',']) {
                    rest = f.trim_start_matches(|c: char| c.is_ascii_digit());
                }
            }
            let tz_ok = match rest.as_bytes() {
                [] | [b'Z' | b'z'] => true,
                [b'+' | b'-', tz @ ..] => {
                    let tz: Vec<u8> = tz.iter().copied().filter(|&b| b != b':').collect();
                    matches!(tz.len(), 2 | 4) && tz.iter().all(u8::is_ascii_digit)
                }
                _ => false,
            };
            if !tz_ok {
                return None;
            }
        }
        let b = |v: u32| u8::try_from(v).ok();
        Self::new(y as i32, b(mo)?, b(d)?, b(h)?, b(mi)?, b(sec)?)
    }

    /// The UTC date-time of a Unix timestamp in seconds; `None` outside years 1..=9999.
    pub fn from_unix(secs: i64) -> Option<Self> {
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Shift the epoch to 0000-03-01 so leap days fall at the end of a year;
        // 146_097 days is one 400-year cycle, 719_468 days lie between the epochs.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era.checked_mul(400)? + i64::from(month <= 2);
        let t = |v: i64| u8::try_from(v).ok();
        Self::new(
            i32::try_from(year).ok()?,
            t(month)?,
            t(day)?,
            t(rem / 3600)?,
            t(rem / 60 % 60)?,
            t(rem % 60)?,
        )
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let (era, yoe) = (y.div_euclid(400), y.rem_euclid(400));
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u8 {
        // 1970-01-01 was a Thursday (index 3).
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }
}

/// How [`format_date`] renders a date-time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum DateStyle {
    /// Numeric, 4-digit year: `11/23/2026` (en-US), `23/11/2026` (en-GB), `23.11.2026` (de).
    Short,
    /// Abbreviated month: `Nov 23, 2026` (en-US), `23 Nov 2026` (en-GB), `23. Nov. 2026` (de).
    #[default]
    Medium,
    /// Full month: `November 23, 2026` (en-US), `23. November 2026` (de), `2026年11月23日` (ja).
    Long,
    /// Weekday name: `Monday`, `Montag`, `lundi`.
    Weekday,
    /// Short time: `7:30 PM` (en-US), `19:30` (de, en-GB).
    Time,
    /// Part of the day: `morning` (05–12), `afternoon` (12–17), `evening` (17–21), `night`.
    Daypart,
}

impl DateStyle {
    /// Parses a style name: `short`, `medium`, `long`, `weekday`, `time`, `daypart`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "short" => DateStyle::Short,
            "medium" => DateStyle::Medium,
            "long" => DateStyle::Long,
            "weekday" => DateStyle::Weekday,
            "time" => DateStyle::Time,
            "daypart" => DateStyle::Daypart,
            _ => return None,
        })
    }
}

/// Formats a date-time in a locale; see [`DateStyle`] for examples.
pub fn format_date(date: CivilDateTime, style: DateStyle, locale: &str) -> String {
    let l = resolve(locale);
    let lang = l.tag.get(..2).unwrap_or("en");
    let names = NAMES.iter().find(|n| n[0] == lang).unwrap_or(&NAMES[0]);
    let pattern = match style {
        DateStyle::Short => l.dates[0],
        DateStyle::Medium => l.dates[1],
        DateStyle::Long => l.dates[2],
        DateStyle::Time => l.time,
        DateStyle::Weekday => return nth(names[3], date.weekday().into()).into(),
        DateStyle::Daypart => {
            let part = match date.hour {
                5..=11 => 0,
                12..=16 => 1,
                17..=20 => 2,
                _ => 3,
            };
            return nth(names[4], part).into();
        }
    };
    let month = usize::from(date.month.saturating_sub(1));
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let field = |abbr: bool| -> Cow<'static, str> {
            if l.tag == "de-AT" && month == 0 {
                return (if abbr { "Jän." } else { "Jänner" }).into();
            }
            let list = if abbr && !names[2].is_empty() {
                names[2]
            } else {
                names[1]
            };
            match nth(list, month) {
                "" => date.month.to_string().into(),
                name => name.to_string().into(),
            }
        };
        let h12 = (date.hour + 11) % 12 + 1;
        let s: Cow<str> = match chars.next() {
            Some('d') => date.day.to_string().into(),
            Some('D') => format!("{:02}", date.day).into(),
            Some('m') => date.month.to_string().into(),
            Some('M') => format!("{:02}", date.month).into(),
            Some('b') => field(true),
            Some('B') => field(false),
            Some('Y') => date.year.to_string().into(),
            Some('H') => format!("{:02}", date.hour).into(),
            Some('k') => date.hour.to_string().into(),
            Some('I') => h12.to_string().into(),
            Some('N') => format!("{:02}", date.minute).into(),
            Some('p') => nth(l.ampm, usize::from(date.hour >= 12)).into(),
            _ => "".into(),
        };
        out.push_str(&s);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn dt(s: &str) -> CivilDateTime {
        CivilDateTime::parse_iso(s).expect("valid date")
    }

    #[test]
    fn locale_resolution() {
        for (tag, want) in [
            ("en-US", "en-US"),
            ("EN-gb", "en-GB"),
            ("pt_BR", "pt-BR"),
            ("pt", "pt-BR"),
            ("de", "de-DE"),
            ("de-LU", "de-DE"),
            ("fr-CA", "fr-CA"),
            ("zh-Hans-CN", "zh-CN"),
            ("ar-AE-u-nu-arab", "ar-AE"),
            ("ar", "ar-AE"),
            ("no", "nb-NO"),
            ("nb", "nb-NO"),
            ("iw-IL", "he-IL"),
            ("xx-YY", "en-US"),
            ("", "en-US"),
            ("en-NZ", "en-US"),
            ("e", "en-US"),
        ] {
            assert_eq!(resolve_locale(tag), want, "{tag}");
        }
        assert_eq!(locale_default_currency("de-CH"), "CHF");
        assert_eq!(locale_default_currency("fr"), "EUR");
        assert_eq!(locale_default_currency("hi"), "INR");
    }

    #[test]
    fn numbers() {
        for (x, d, loc, want) in [
            (1234.5, None, "en-US", "1,234.5"),
            (1234.5, None, "de-DE", "1.234,5"),
            (1234.5, None, "fr-FR", "1\u{202f}234,5"),
            (1234.5, None, "de-CH", "1’234.5"),
            (1234567.891, Some(2), "en-IN", "12,34,567.89"),
            (1234567.0, Some(0), "hi-IN", "12,34,567"),
            (123.0, Some(0), "en-IN", "123"),
            (1234.0, Some(0), "en-IN", "1,234"),
            (1234.0, None, "es-ES", "1234"),
            (12345.0, None, "es-ES", "12.345"),
            (1234.0, None, "pl-PL", "1234"),
            (12345.0, None, "pl-PL", "12\u{a0}345"),
            (1234.0, None, "ru-RU", "1\u{a0}234"),
            (1234.0, None, "sv", "1\u{a0}234"),
            (1.005, Some(2), "en", "1.01"),
            (49.995, Some(2), "en", "50.00"),
            (2.5, Some(0), "en", "3"),
            (-2.5, Some(0), "en", "-3"),
            (0.125, Some(2), "en", "0.13"),
            (1.0 / 3.0, None, "en", "0.333"),
            (2.0, None, "en", "2"),
            (2.0, Some(2), "en", "2.00"),
            (-1234.5, Some(1), "de", "-1.234,5"),
            (-0.0, None, "en", "0"),
            (-0.001, Some(2), "en", "0.00"),
            (999.9996, None, "en", "1,000"),
            (0.0, Some(0), "en", "0"),
            (1e-300, Some(2), "en", "0.00"),
            (f64::NAN, None, "en", "—"),
            (f64::INFINITY, Some(2), "en", "—"),
            (1e21, Some(0), "en", "1,000,000,000,000,000,000,000"),
        ] {
            assert_eq!(format_number(x, d, loc), want, "{x} {d:?} {loc}");
        }
    }

    #[test]
    fn extreme_numbers_never_panic() {
        for x in [
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            -0.0,
            0.0,
            1e-7,
            123_456_789.123_456_79,
        ] {
            for d in [None, Some(0), Some(2), Some(20), Some(255)] {
                for loc in ["en-US", "en-IN", "fr-FR", "es-ES"] {
                    let s = format_number(x, d, loc);
                    assert!(!s.is_empty());
                    let _ = format_percent(x, d, loc);
                    let _ = format_currency(x, "JPY", loc);
                    let _ = round_decimal(x, d.unwrap_or(0));
                }
            }
        }
        assert_eq!(format_number(1e300, Some(0), "en").len(), 301 + 100);
        assert_eq!(round_decimal(1.005, 2), 1.01);
        assert_eq!(round_decimal(-2.5, 0), -3.0);
        assert_eq!(round_decimal(49.99, 1), 50.0);
    }

    #[test]
    fn percents() {
        for (x, d, loc, want) in [
            (0.25, None, "en-US", "25%"),
            (0.25, None, "de-DE", "25\u{a0}%"),
            (0.25, None, "fr-FR", "25\u{202f}%"),
            (0.25, None, "tr-TR", "%25"),
            (0.285, None, "en", "29%"),
            (0.07, None, "en", "7%"),
            (0.1234, Some(1), "de", "12,3\u{a0}%"),
            (-0.5, None, "en", "-50%"),
            (12.5, None, "en", "1,250%"),
            (0.25, None, "ja", "25%"),
        ] {
            assert_eq!(format_percent(x, d, loc), want, "{x} {loc}");
        }
    }

    #[test]
    fn currencies() {
        for (x, code, loc, want) in [
            (49.99, "EUR", "en-US", "€49.99"),
            (49.99, "USD", "en-US", "$49.99"),
            (49.99, "EUR", "de-DE", "49,99\u{a0}€"),
            (49.99, "EUR", "fr-FR", "49,99\u{a0}€"),
            (49.99, "EUR", "es-ES", "49,99\u{a0}€"),
            (49.9, "CHF", "de-CH", "CHF\u{a0}49.90"),
            (49.9, "CHF", "en-US", "CHF\u{a0}49.90"),
            (49.9, "CHF", "fr-CH", "49,90\u{a0}CHF"),
            (49.9, "BRL", "pt-BR", "R$\u{a0}49,90"),
            (49.99, "EUR", "de-AT", "€\u{a0}49,99"),
            (49.99, "EUR", "nl-NL", "€\u{a0}49,99"),
            (5000.0, "JPY", "ja-JP", "¥5,000"),
            (5000.4, "KRW", "ko-KR", "₩5,000"),
            (1234.5, "GBP", "en-GB", "£1,234.50"),
            (1234.5, "EUR", "en-IE", "€1,234.50"),
            (10.0, "CAD", "en-CA", "$10.00"),
            (10.0, "CAD", "en-US", "CA$10.00"),
            (10.0, "USD", "en-CA", "US$10.00"),
            (10.0, "CAD", "fr-CA", "10,00\u{a0}$"),
            (10.0, "AUD", "en-AU", "$10.00"),
            (10.0, "AUD", "en-GB", "A$10.00"),
            (10.0, "MXN", "es-MX", "$10.00"),
            (10.0, "USD", "es-MX", "US$10.00"),
            (123456.0, "INR", "en-IN", "₹1,23,456.00"),
            (123456.0, "INR", "hi-IN", "₹1,23,456.00"),
            (99.0, "SEK", "sv-SE", "99,00\u{a0}kr"),
            (99.0, "SEK", "en-US", "SEK\u{a0}99.00"),
            (99.0, "DKK", "da-DK", "99,00\u{a0}kr."),
            (99.0, "NOK", "nb-NO", "99,00\u{a0}kr"),
            (99.0, "PLN", "pl-PL", "99,00\u{a0}zł"),
            (99.0, "CZK", "cs-CZ", "99,00\u{a0}Kč"),
            (99.0, "TRY", "tr-TR", "₺99,00"),
            (99.0, "RUB", "ru-RU", "99,00\u{a0}₽"),
            (99.0, "CNY", "zh-CN", "¥99.00"),
            (99.0, "CNY", "en-US", "CN¥99.00"),
            (99.0, "JPY", "zh-CN", "JP¥99"),
            (99.0, "AED", "ar-AE", "99.00\u{a0}د.إ"),
            (99.0, "AED", "en-US", "AED\u{a0}99.00"),
            (99.0, "SAR", "ar-SA", "99.00\u{a0}ر.س"),
            (99.0, "ILS", "he-IL", "99.00\u{a0}₪"),
            (99.0, "XYZ", "en-US", "XYZ\u{a0}99.00"),
            (99.0, "eur", "it-IT", "99,00\u{a0}€"),
            (-5.0, "USD", "en-US", "-$5.00"),
            (49.995, "USD", "en-US", "$50.00"),
            (f64::NAN, "USD", "en-US", "—"),
        ] {
            assert_eq!(format_currency(x, code, loc), want, "{x} {code} {loc}");
        }
    }

    #[test]
    fn civil_dates() {
        let d = dt("2026-11-23");
        assert_eq!((d.year, d.month, d.day, d.hour), (2026, 11, 23, 0));
        assert_eq!(d.weekday(), 0, "2026-11-23 is a Monday");
        assert_eq!(dt("1970-01-01").days_since_epoch(), 0);
        assert_eq!(dt("2000-02-29").weekday(), 1);
        let t = dt("2026-11-23T19:30:05.123+05:30");
        assert_eq!((t.hour, t.minute, t.second), (19, 30, 5));
        assert_eq!(dt("2026-11-23T19:30Z").hour, 19);
        assert_eq!(dt("2026-11-23 07:05:00-0800").minute, 5);
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "2026-1-01",
            "20261123",
            "2026-11-23T25:00",
            "2026-11-23T19:30+5",
            "2026-11-23x",
            "",
            "２０２６-11-23",
        ] {
            assert_eq!(CivilDateTime::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(CivilDateTime::from_unix(0), Some(dt("1970-01-01T00:00:00")));
        assert_eq!(
            CivilDateTime::from_unix(1_795_462_200),
            Some(dt("2026-11-23T19:30:00"))
        );
        assert_eq!(CivilDateTime::from_unix(-86_400), Some(dt("1969-12-31")));
        assert_eq!(
            CivilDateTime::from_unix(951_782_400),
            Some(dt("2000-02-29"))
        );
        assert_eq!(CivilDateTime::from_unix(i64::MAX), None);
        assert_eq!(CivilDateTime::from_unix(i64::MIN), None);
        assert_eq!(
            CivilDateTime::from_unix(1_795_462_200_000),
            None,
            "milliseconds"
        );
        // Round trip over a wide range, every ~29 days plus an odd offset.
        let mut s = -62_135_596_800; // 0001-01-01
        while s < 253_402_300_799 {
            let d = CivilDateTime::from_unix(s).expect("in range");
            assert_eq!(
                d.days_since_epoch() * 86_400
                    + i64::from(d.hour) * 3600
                    + i64::from(d.minute) * 60
                    + i64::from(d.second),
                s
            );
            s += 86_400 * 29 + 3_607;
        }
    }

    #[test]
    fn dates() {
        let d = dt("2026-11-23T19:30:00");
        let m = dt("2026-03-05T09:05:00");
        for (date, style, loc, want) in [
            (d, DateStyle::Short, "en-GB", "23/11/2026"),
            (d, DateStyle::Short, "en-US", "11/23/2026"),
            (m, DateStyle::Short, "en-US", "3/5/2026"),
            (m, DateStyle::Short, "en-GB", "05/03/2026"),
            (d, DateStyle::Short, "de", "23.11.2026"),
            (d, DateStyle::Short, "sv", "2026-11-23"),
            (d, DateStyle::Short, "ja", "2026/11/23"),
            (d, DateStyle::Long, "en-GB", "23 November 2026"),
            (d, DateStyle::Long, "en-US", "November 23, 2026"),
            (d, DateStyle::Long, "de", "23. November 2026"),
            (d, DateStyle::Long, "ja", "2026年11月23日"),
            (d, DateStyle::Long, "zh", "2026年11月23日"),
            (d, DateStyle::Long, "ko", "2026년 11월 23일"),
            (d, DateStyle::Long, "fr", "23 novembre 2026"),
            (d, DateStyle::Long, "es", "23 de noviembre de 2026"),
            (d, DateStyle::Long, "pt-BR", "23 de novembro de 2026"),
            (d, DateStyle::Long, "ru", "23 ноября 2026 г."),
            (d, DateStyle::Long, "pl", "23 listopada 2026"),
            (d, DateStyle::Long, "cs", "23. listopadu 2026"),
            (d, DateStyle::Long, "fi", "23. marraskuuta 2026"),
            (d, DateStyle::Long, "tr", "23 Kasım 2026"),
            (d, DateStyle::Long, "ar-AE", "23 نوفمبر 2026"),
            (d, DateStyle::Long, "he", "23 בנובמבר 2026"),
            (d, DateStyle::Long, "hi", "23 नवंबर 2026"),
            (dt("2026-01-02"), DateStyle::Long, "de-AT", "2. Jänner 2026"),
            (d, DateStyle::Medium, "en-US", "Nov 23, 2026"),
            (d, DateStyle::Medium, "en-GB", "23 Nov 2026"),
            (d, DateStyle::Medium, "de", "23. Nov. 2026"),
            (d, DateStyle::Medium, "fr", "23 nov. 2026"),
            (d, DateStyle::Medium, "ar", "23 نوفمبر 2026"),
            (d, DateStyle::Weekday, "en", "Monday"),
            (d, DateStyle::Weekday, "de", "Montag"),
            (d, DateStyle::Weekday, "fr", "lundi"),
            (d, DateStyle::Weekday, "ja", "月曜日"),
            (dt("2026-11-29"), DateStyle::Weekday, "it", "domenica"),
            (d, DateStyle::Time, "en-US", "7:30\u{a0}PM"),
            (m, DateStyle::Time, "en-US", "9:05\u{a0}AM"),
            (
                dt("2026-11-23T00:10"),
                DateStyle::Time,
                "en-US",
                "12:10\u{a0}AM",
            ),
            (
                dt("2026-11-23T12:00"),
                DateStyle::Time,
                "en-US",
                "12:00\u{a0}PM",
            ),
            (d, DateStyle::Time, "de", "19:30"),
            (m, DateStyle::Time, "de", "09:05"),
            (m, DateStyle::Time, "es", "9:05"),
            (d, DateStyle::Time, "en-GB", "19:30"),
            (d, DateStyle::Time, "fi", "19.30"),
            (d, DateStyle::Time, "fr-CA", "19\u{a0}h\u{a0}30"),
            (d, DateStyle::Time, "ko", "오후 7:30"),
            (d, DateStyle::Daypart, "en", "evening"),
            (m, DateStyle::Daypart, "en", "morning"),
            (
                dt("2026-11-23T12:00"),
                DateStyle::Daypart,
                "de",
                "Nachmittag",
            ),
            (dt("2026-11-23T04:59"), DateStyle::Daypart, "fr", "nuit"),
            (dt("2026-11-23T21:00"), DateStyle::Daypart, "es", "noche"),
            (d, DateStyle::Daypart, "ja", "夕方"),
        ] {
            assert_eq!(format_date(date, style, loc), want, "{style:?} {loc}");
        }
    }

    #[test]
    fn every_listed_locale_is_in_the_table() {
        let d = dt("2026-11-23T19:30");
        for tag in "en-US en-GB en-IE en-AU en-CA en-IN de-DE de-AT de-CH fr-FR fr-CA fr-CH es-ES es-MX it-IT nl-NL pt-PT pt-BR sv-SE da-DK nb-NO fi-FI pl-PL cs-CZ tr-TR ru-RU ja-JP zh-CN ko-KR ar-AE ar-SA he-IL hi-IN".split(' ') {
            assert_eq!(resolve_locale(tag), tag);
            assert_eq!(resolve_locale(&tag.to_lowercase().replace('-', "_")), tag);
            for style in [DateStyle::Short, DateStyle::Medium, DateStyle::Long, DateStyle::Weekday, DateStyle::Time, DateStyle::Daypart] {
                let s = format_date(d, style, tag);
                assert!(!s.is_empty() && !s.contains('%'), "{tag} {style:?}: {s}");
            }
            assert!(format_currency(1234.25, locale_default_currency(tag), tag).contains("234"));
        }
    }

    #[test]
    fn name_tables_are_complete() {
        for n in NAMES {
            for (i, count) in [(1, 12), (2, 12), (3, 7), (4, 4)] {
                assert!(
                    n[i].is_empty() || n[i].split('|').count() == count,
                    "{} field {i}",
                    n[0]
                );
            }
            assert!(LOCALES.iter().any(|l| l.tag.starts_with(n[0])), "{}", n[0]);
        }
        for l in LOCALES {
            assert!(NAMES.iter().any(|n| l.tag.starts_with(n[0])), "{}", l.tag);
            assert!(CURRENCIES.iter().any(|c| c[0] == l.currency), "{}", l.tag);
            assert!(l.ampm.is_empty() != l.time.contains("%p"), "{}", l.tag);
        }
    }
}
