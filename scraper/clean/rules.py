"""Rules for clean.py, as data: tag lists, class/id patterns, text patterns.

The two tag lists follow trafilatura's ``settings.py`` (MANUALLY_CLEANED and
MANUALLY_STRIPPED). Class/id weights follow readability. Patterns are general
news-page furniture, never keyed to one site (issue 3).
"""

from __future__ import annotations

import re

# Removed together with their content.
REMOVED_TAGS: tuple[str, ...] = (
    "aside", "embed", "footer", "form", "head", "iframe", "menu", "object", "script",
    "applet", "audio", "canvas", "figure", "figcaption", "map", "picture", "svg", "video",
    "area", "blink", "button", "datalist", "dialog", "frame", "frameset", "fieldset",
    "link", "input", "label", "legend", "marquee", "math", "menuitem", "nav", "noscript",
    "optgroup", "option", "output", "param", "progress", "rp", "rt", "rtc", "select",
    "source", "style", "track", "textarea", "use", "template", "header", "meta",
    "noembed", "amp-ad", "amp-analytics", "amp-social-share",
)
# Dropped before scoring too: they are never article text.
PRESCORE_REMOVED: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "svg", "select",
    "textarea", "template", "object", "embed", "canvas", "video", "audio",
)
# Dropped before scoring unless they hold much of the page's prose: a start tag left
# open inside a header <button> or <nav> makes the parser put the story inside it (issue 9).
PRESCORE_FURNITURE = ("nav", "button", "aside", "footer", "figure", "menu", "dialog")
# Furniture holding this share of the page's text and of its <p> text holds the story,
SWALLOWED_MIN_SHARE = 0.5
SWALLOWED_MAX_LINKS = 0.5  # ... unless it is mostly links (a real menu)
SWALLOWED_MIN_STORY = 400  # ... and not this much running text (a story in a mega menu)
# Unwrapped: the tag goes, its text stays.
UNWRAPPED_TAGS: tuple[str, ...] = (
    "abbr", "acronym", "address", "bdi", "bdo", "big", "cite", "data", "dfn", "font",
    "hgroup", "img", "ins", "mark", "ruby", "small", "tbody", "tfoot", "thead", "center",
)
# Each of these starts its own paragraph.
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
     "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "caption", "hr",
     "details", "summary", "body", "html", "figure", "address"}
)
# Elements whose text counts as one scoring unit (readability's "paragraphs").
SCORED_TAGS: tuple[str, ...] = ("p", "pre", "td", "blockquote", "li", "h2", "h3")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A winner of these tags is widened to an ancestor holding WIDEN_MIN_GAIN times its prose.
WIDEN_TAGS = frozenset({"ul", "ol", "li", "p", "td", "blockquote", "pre", "h2", "h3"})
WIDEN_MAX_LEVELS = 4
WIDEN_MIN_GAIN = 2.0
WIDEN_MAX_LINKS = 0.3
# A winner holding less than this share of the page's running text widens (score.spread).
SPREAD_MIN_SHARE, SPREAD_MAX_LEVELS = 0.6, 16
STORY_ATTR = "data-stet-story"  # set by score.spread on the blocks of a split story
TEASER_CARD_LEVELS = 3  # a paragraph's card: this many ancestors up, with a linked heading
TEASER_CARD_MAX_CHARS = 600

POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|main|post|text|blog|story|prose|paywall|"
    r"rich-?text|permalink",
    re.I,
)
NEGATIVE_RE = re.compile(
    r"comment|com-|contact|foot|footnote|masthead|media|meta|outbrain|taboola|promo|"
    r"related|scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|recirc|"
    r"newsletter|share|social|popular|trending|teaser|card|rail|nav|menu|header|banner",
    re.I,
)
# Class/id word patterns of page furniture; an element matching one is dropped
# from the chosen container (unless it holds most of the container's text).
# WordPress post_class() tokens ("tag-x", "category-x", "has-post-thumbnail") are not noise.
# Gutenberg text blocks ("wp-block-heading") hold story text, whatever the word says.
# Drupal's "field--label-hidden" hides the field's label, not the field; Bootstrap's
# "hidden-xs" / "d-none d-md-block" hide a block on some screens only (issue 9).
TAXONOMY_CLASS_RE = re.compile(
    r"^(?:(?:tag|category|has|format|status|type|post-format)-|"
    r"wp-block-(?:heading|paragraph|list|list-item|quote|group|columns?)$|"
    r".*label-?hidden$|(?:hidden|visible)-(?:xs|sm|md|lg|xl|xxl|mobile|tablet|desktop)\b|"
    r"(?:xs|sm|md|lg|xl|mobile|tablet|desktop)-hidden$|"
    # Page builders name every block a "widget" or "module", the story's text blocks too;
    # a furniture block still says what it is in another class ("...-share-buttons").
    r"elementor-(?:widget|element|column|section|container)(?:-(?:container|wrap|"
    r"text-editor|heading|populated|default))?$|e-con(?:-inner)?$|"
    r"et_pb_(?:text|module|column|row|section)\w*$|wpb_(?:text_column|wrapper|"
    r"content_element)$|widget-(?:type-(?:rich_text|cell|custom_widget)|span)$|"
    r"hs_cos_wrapper\w*$|sqs-block(?:-html|-content)?$|fl-(?:module|rich-text)[\w-]*$|w-embed$)",
    re.I,
)
NOISE_RE = re.compile(
    r"(?:^|[-_\s])(?:"
    r"share|sharing|sharebar|social|related|recommend\w*|newsletter|subscri\w*|signup|"
    r"promo\w*|advert\w*|ads?|ad-?slot|ad-?unit|adsense|dfp|gpt|sponsor\w*|comments?|"
    r"disqus|cookie\w*|consent|gdpr|popup|modal|overlay|sidebar|widget|breadcrumbs?|"
    r"tags?|taglist|keywords|byline|bylines|authors?|author-?bio|bio|contributor|"
    r"caption|credits?|copyright|footer|nav|navigation|menu|toolbar|print|"
    r"most-?popular|popular|trending|outbrain|taboola|read-?more|more-?stories|"
    r"read-?also|see-?also|also-?read|teaser|rail|skip-?(?:links?|to-[\w-]+|nav\w*|content|main)|hidden|visually-?hidden|sr-only|"
    r"screen-?reader\w*|timestamp|dateline|date|published|updated|pagination|pager|"
    r"banner|login|register|rating|reactions?|emoji|icons?|btn|button|tools|"
    r"follow|signature|disclaimer|inline-?(?:link|promo|related)|embed|video|player|"
    r"gallery|slideshow|carousel|image|photo|media|figure|thumbnail|meta|info-?box|"
    r"kicker|eyebrow|headline|title|heading|breaking|alert|toast|paywall-?prompt|"
    r"stat|counter|views|rss|feed|next|prev|previous|print-?only|noprint"
    r")(?:$|[-_\s])",
    re.I,
)
# Readability's "unlikely candidates": dropped before scoring unless OK_MAYBE_RE matches.
UNLIKELY_RE = re.compile(
    r"(?:^|[-_\s])(?:combx|comments?|comment-?list|community|disqus|extra|foot|footer|header|"
    r"menu|remark|rss|shoutbox|sidebar|sponsor|ad-break|agegate|pagination|pager|popup|"
    r"related|recirc|newsletter|social|share|modal|lightbox|overlay|dialog|promo-?bar|"
    r"cookies?|consent|gdpr|commentlist|testimonials?)(?:$|[-_\s])",
    re.I,
)
UNLIKELY_MAX_SHARE = 0.4  # never drop a block holding this share of the page text ...
# ... except a comment thread (it can outweigh the story), unless it holds the story's
# marks: a tag left open can put the story inside it.
COMMENTS_RE = re.compile(
    r"(?:^|[-_\s])(?:comments?|commentlist|comment-?list|comments-?area|disqus)(?:$|[-_\s])",
    re.I,
)
STORY_MARK_XPATH = "descendant::h1 | descendant::*[@itemprop='articleBody']"
HIDDEN_CLASS_RE = re.compile(  # hidden (Webflow, Tailwind too); mostly links: never the story
    r"(?:^|\s)(?:hidden|d-none|hide|is-hidden|u-hidden|(?:w-condition-)?invisible)(?:$|\s)")
HIDDEN_MIN_LINKS = 0.5
TWIN_MIN_SHARE = 0.3  # same-class blocks scoring this share of the winner join it
OK_MAYBE_RE = re.compile(r"and|article|body|column|main|shadow|content|story|entry", re.I)
# Containers whose class/id say "this is the story", used in scoring.
BODY_HINT_RE = re.compile(
    r"article-?body|articlebody|story-?body|post-?content|entry-?content|post-?body|"
    r"article-?content|story-?content|article-?text|body-?text|main-?content|"
    r"news-?text|content-?body|td-post-content|rich-?text|article__body|c-entry",
    re.I,
)

# The same, less the names page builders give every text block ("rich-text"): a block so
# named holds the story, score.spread does not look past it.
STORY_MARK_RE = re.compile(
    r"article-?body|articlebody|story-?body|post-?content|entry-?content|post-?body|"
    r"article-?content|story-?content|body-?text|main-?content|news-?text|content-?body|"
    r"td-post-content|article__body|c-entry",
    re.I,
)

_RELATIVE = r"(?:sec|second|min|minute|hr|hour|day|week|month|year)s?"
MONTH = _MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A paragraph that matches one of these in full is furniture, not text.
NOISE_TEXT_RE = re.compile(
    r"(?:"
    rf"\d+\s*(?:min|mins|minutes?)\.?\s*(?:read|reading|listen)(?:\s*time)?|"
    rf"(?:reading time|read time)\s*:?\s*\d+\s*(?:min|mins|minutes?)|"
    rf"(?:updated|posted|published|last updated)?\s*:?\s*(?:about\s+)?"
    rf"(?:\d+|an?|one)\s*{_RELATIVE}\s*ago|just now|"
    r"(?:show|read|load|see|view)\s+(?:more|less|all|full)(?:\s+\w+)?|"
    r"advertisement|advertising|sponsored(?: content)?|ad|"
    r"(?:share|tweet|email|print|pin|save|copy link|comment)(?:\s+(?:this|on|via)\s+\w+)?"
    r"(?:\s+(?:article|story|page|link))?|"
    r"[\d,.]+\s*[km]?\s*(?:comments?|views?|shares?|reads?|likes?|responses?)|"
    r"(?:comments?|views?|shares?)\s*:?\s*\(?[\d,.]+\s*[km]?\)?|"
    r"(?:follow|like) us on .{0,80}|"
    r"(?:©|\(c\)|copyright)\s*\d{4}.{0,150}|all rights reserved\.?|"
    rf"(?:(?:published|updated|posted|last updated)\s*(?:on)?\s*:?\s*)?"
    rf"(?:\w+day,?\s*)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
    rf"\s+\d{{4}}(?:,?\s*(?:at\s*)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*\w{{0,4}})?|"
    r"(?:published|updated|posted|last updated)\s*:?.{0,60}"
    r")[.!]?",
    re.I,
)
# Teasers and calls to action, when the paragraph is short.
TEASER_RE = re.compile(
    r"(?:related(?:\s+(?:stories|articles|content|coverage|links|news|reading))?|"
    r"more (?:stories|articles|news|coverage|from|on)\b[^:]{0,60}|"
    r"read (?:also|more|next)|see also|also read|also see|recommended(?: for you)?|"
    r"читайте (?:также|також)|смотрите также|дивіться також|по теме|lesen sie auch|"
    r"mehr zum thema|(?:à )?lire aussi|lee también|leia também|you (?:may|might) (?:also )?like|"
    r"don'?t miss|click here|(?:watch|listen)\b(?=\s*:|\s+(?:now|live|here|again)\b|"
    r".*\b(?:videos?|podcasts?|episodes?|live|youtube)\b)|get (?:the|our) .{0,60}newsletter|"
    r"(?:sign up|subscribe)\b.{0,200}(?:newsletter|inbox|email|updates)|"
    r"(?:photo|image|picture|illustration|video|graphic)s?\s*(?:credit|courtesy|by)?\s*:)"
    r"\s*:?.*",
    re.I | re.S,
)
TEASER_MAX_CHARS = 220
# "By Monday, ..." and "By The time ..." start sentences, not bylines.
_NOT_NAME_WORDS = (
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|March|April|"
    r"June|July|August|September|October|November|December|The|This|That|Then|Now|Next|"
    r"Last|Early|Late|Mid|Midnight|Noon|Christmas|Easter)\b"
)
_NOT_NAME = rf"(?!{_NOT_NAME_WORDS})"
NOT_NAME_RE = re.compile(_NOT_NAME_WORDS)
BYLINE_LINE_RE = re.compile(
    rf"(?:By|BY|Por|Von|Par)\s+{_NOT_NAME}"
    r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,|de|van|von))*"
    r"(?:\s*[,|/-]\s*[\w .'’&-]{0,60})?"
)
BYLINE_MAX_CHARS = 100
# "JANE DOE NOVEMBER 20, 2019 10:43": a date glued to the byline element.
BYLINE_DATE_RE = re.compile(
    rf"\s*(?:\||,|-)?\s*(?:\w+day,?\s*)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}.*$", re.I
)

# Blocked pages: matched against the raw page (challenge) or its text.
CHALLENGE_TITLE_RE = re.compile(
    r"just a moment\.*|attention required!? \| cloudflare|checking your browser.*|"
    r"ddos-guard|access denied|please verify you are a human|are you a robot\??|"
    r"pardon our interruption|security check|one more step|verifying you are human.*",
    re.I,
)
CHALLENGE_RE = re.compile(
    r"cf-browser-verification|challenge-platform|cf_chl_opt|_cf_chl|"
    r"captcha-delivery\.com|px-captcha|perimeterx|"
    r"enable javascript and cookies to continue",
    re.I,
)
CONSENT_RE = re.compile(
    r"before you continue|we value your privacy|cookie (?:consent|settings|preferences)|"
    r"(?:accept|agree|reject)(?: all)?(?: cookies)?\b.{0,40}(?:cookies|consent|continue)|"
    r"we use cookies|manage (?:your )?(?:cookie|privacy) (?:settings|preferences|choices)|"
    r"consent\.(?:yahoo|google)|gdpr consent",
    re.I,
)
PAYWALL_RE = re.compile(
    r"subscribe (?:now )?to (?:continue|keep) reading|to continue reading|"
    r"already a subscriber|subscribers only|for subscribers|exclusive to subscribers|"
    r"this (?:article|story|content) is (?:only )?(?:available|reserved) (?:to|for) "
    r"(?:subscribers|members)|sign in to (?:read|continue)|premium (?:article|content)|"
    r"become a (?:subscriber|member) to read|unlock (?:this|full) (?:article|story)|"
    r"isAccessibleForFree\W+false",
    re.I,
)
BLOCKED_MAX_WORDS = 120  # a body this long is the article, whatever else the page says
PAYWALL_PREVIEW_MIN_WORDS = 50  # a paywalled page showing this much story: its preview

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
     "socialmediaposting", "report", "scholarlyarticle", "techarticle", "webpage"}
)
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " — ", " – ", " :: ", " · ", " • ", " « ", " » ")

# --- volatile and non-story lines inside the container (issue 3: false edits) -------------
# Text before the headline <h1> in the container (kicker, dateline, counters) is not body,
# unless there is so much of it that the <h1> is a heading inside the story.
PREHEAD_MAX_WORDS = 60
SHORT_LINE_MAX_WORDS = 25  # lines this short are checked for volatile parts
# Parts of a dateline or tool line: "Sunday, 9 March 2025 · Updated 5 minutes ago · 1,204 views".
SEGMENT_SPLIT_RE = re.compile(r"\s*(?:[·|•‧∙●▪]|\s[-–—/]\s)\s*")
_AGO = (
    r"(?:\d+|an?|one|few)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|"
    r"w|wks?|weeks?)\.?\s+ago|just now|moments? ago"
)
_AGO_I18N = (
    r"vor\s+\d+\s*(?:Sek\w*|Min\w*|Std\.?|Stunden?|Tag(?:en)?)|"  # de
    r"il y a\s+\d+\s*(?:s|sec\w*|min\w*|h|heures?|jours?)|"  # fr
    r"hace\s+\d+\s*(?:seg\w*|min\w*|h|horas?|d[ií]as?)|"  # es
    r"h[aá]\s+\d+\s*(?:seg\w*|min\w*|h|horas?|dias?)|"  # pt
    r"\d+\s*(?:minut[oi]|or[ae]|giorn[oi])\s+fa|"  # it
    r"\d+\s*(?:minuten|min\.?|uur|dagen)\s+geleden|"  # nl
    r"\d+\s*(?:сек\w*|мин\w*|час\w*|дн\w*|день)\.?\s+(?:назад|тому)"  # ru, uk
)
_COUNTER = (
    r"[\d,.\s\u00a0]*\d\s*[kKmM]?\s*(?:views?|reads?|comments?|shares?|likes?|responses?|"
    r"replies|reactions?|Aufrufe|vues|visitas|просмотр\w*|комментар\w*|переглял\w*|"
    r"перегляд\w*)"
)
_READ_TIME = (
    r"\d+\s*(?:min|mins|minutes?|минут\w*|Min\.?)\s*"
    r"(?:read|reading|listen|Lesezeit|de lecture|чтения)"
)
# Found anywhere in a short line: these change on every load, so the line is not story.
VOLATILE_RE = re.compile(
    rf"(?:(?:updated|posted|published|edited)\s*:?\s*)?(?:{_AGO})\b|{_AGO_I18N}|{_READ_TIME}|"
    rf"(?:^|\s)(?:updated|aktualisiert|mis à jour|обновлено|оновлено)\s*:?\s*{_AGO_I18N}",
    re.I,
)
VOLATILE_HINT_RE = re.compile(r"\d|ago|just now", re.I)  # in every VOLATILE_RE match: cheap
# A line whose every part is one of these is a dateline or a tool line.
SEGMENT_RE = re.compile(
    rf"(?:{_COUNTER}|(?:views?|comments?|shares?)\s*:?\s*[\d,.]+[kKmM]?|"
    r"(?:\w+day,?\s*)?\d{1,2}\.?\s+\w+\.?,?\s+\d{4}(?:,?\s*\d{1,2}[:.]\d{2}\s*\w{0,4})?|"
    r"(?:\w+day,?\s*)?\w+\.?\s+\d{1,2},?\s+\d{4}(?:,?\s*\d{1,2}[:.]\d{2}\s*\w{0,4})?|"
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?\s*\d{1,2}[:.]\d{2})?|\d{1,2}[:.]\d{2}\s*(?:am|pm)?\s*\w{0,4}|"
    r"(?:story|article|news|материал|статья|новость)\s*(?:id|no\.?|number|#|№)\s*:?\s*\d+|"
    r"report an? (?:error|typo|mistake|correction)|(?:print|save|bookmark|share|e-?mail|send)"
    r"(?:\s+(?:this|the))?(?:\s+(?:story|article|page|link|to an? friend))?|"
    r"(?:e-?mail|send)\s+(?:it\s+)?to\s+an?\s+friend|font size|a\s*\+\s*a\s*-|"
    r"(?:comments?|reply|replies)\s*\(?\d*\)?)[.!]?",
    re.I,
)
# "Updated: December 9, 2024" glued to the start of a paragraph (no tag between them):
# cut, since it changes without an edit (issue 9, class 3).
DATE_PREFIX_RE = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted|modified|aktualisiert|veröffentlicht|"
    r"mis à jour|publié|actualizado|publicado|aggiornato|pubblicato)(?:\s+(?:on|am|le|el|il))?"
    rf"\s*:?\s*)(?:\w+day,?\s*)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH},?\s+\d{{4}}|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})"
    r"(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4}\b)?)?"
    r"\s*[|·•-]?\s*",
    re.I,
)
REPEAT_MIN_WORDS = 8  # a paragraph repeated right after itself is dropped from this length
# "By NAME" right after the headline: the byline, when the page has no structured one.
BYLINE_START_RE = re.compile(
    rf"(?:By|BY|Von|VON|Par|PAR|Por|POR)\s+{_NOT_NAME}(?P<names>[A-ZÀ-ÖØ-Þ][\w.'’-]*"
    r"(?:(?:\s*,\s*|\s+)(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|da|van|von|der|le|la|and|&))*)"
)
BYLINE_NAME_SPLIT_RE = re.compile(r"\s*(?:,|\band\b|&)\s*")
BYLINE_MAX_WORDS = 20
BYLINE_SEARCH_PARAS = 3  # the byline is within this many paragraphs of the headline
# A comma part after the names that is a job title, not a second name.
BYLINE_TITLE_RE = re.compile(
    r"\b(?:editor|reporter|correspondent|writer|columnist|producer|staff|contributor|"
    r"journalist|analyst|chief|senior|critic|photographer|bureau|desk|in\s+[A-Z]\w+|"
    r"political|economics|business|science|health|sports?|news|community|special|"
    r"reuters|associated press|afp|ap|bloomberg|pa media|agencies)\b",
    re.I,
)
# Photo credits: a short block with one of these beside an <img> (or ending in one) is a caption.
CAPTION_MAX_WORDS = 40
CREDIT_RE = re.compile(
    r"\b(?:Picture|Photo|Photograph|Image|Illustration|Credit|Foto|Bild|Фото)s?"
    r"(?:\s+(?:credit|courtesy|by))?\s*:|"
    r"\(\s*(?:Getty(?: Images)?|AFP|AP|Reuters|EPA|PA|Shutterstock|Alamy|Bloomberg)\b[^)]{0,40}\)|"
    r"/\s*(?:Getty(?: Images)?|AFP|AP|Reuters|EPA|PA(?: Media| Wire)?|Shutterstock|Alamy)\b|"
    r"\bAP Photo\b|\bGetty Images\b|\bPhoto(?:graph)?\s+(?:by|courtesy)\b",
)
CAPTION_END_RE = re.compile(
    r"(?:\b(?:Picture|Photo|Photograph|Image|Illustration|Credit|Foto|Bild|Фото)s?"
    r"(?:\s+(?:credit|courtesy|by))?\s*:\s*[\w .'’&/-]{2,60}|"
    r"\(\s*(?:Getty(?: Images)?|AFP|AP|Reuters|EPA|PA|Shutterstock|Alamy)\b[^)]{0,40}\)|"
    r"/\s*(?:Getty(?: Images)?|AFP|AP|Reuters|EPA|PA(?: Media| Wire)?|Shutterstock|Alamy)"
    r"(?:\s+[\w.]+){0,2}|\bAP Photo(?:/[\w .]{2,40})?)\s*[.)]?$",
)

# --- bylines (cleanbyline.py) -------------------------------------------------------------
PARA = "\ue000"  # paragraph boundary marker (private use, never in decoded text)
BREAK = "\ue001"  # <br> marker
HEAD = "\ue002"  # where the headline <h1> stood in the container
# A line starting with one of these names its authors ("Автор: Ирина Белозерова").
# Labels ending in ":" match with any case and spacing; bare words match as written or in
# capitals, and then need two capitalised name words ("Di Maio" is a name, not "Di" + name).
BYLINE_LABELS: tuple[str, ...] = (
    "Автор:", "Автори:", "Авторы:", "Author:", "Authors:", "Autor:", "Autorin:", "Autoren:",
    "Auteur:", "Auteurs:", "Autore:", "Autori:", "Text:", "Texte:", "Texto:", "Tekst:",
    "Written by", "Words by", "Reporting by", "Story by", "Posted by", "By", "Von", "Par",
    "Por", "Di", "Door", "Av",
)
# Words allowed between the names of a labelled byline.
BYLINE_JOINERS = frozenset({
    "and", "&", "und", "et", "y", "e", "i", "и", "і", "та", "en", "och", "og", "ja", "a",
    "de", "da", "das", "do", "dos", "del", "della", "di", "van", "von", "der", "den", "le",
    "la", "du", "des", "ter", "ten", "al", "bin", "ibn",
})
BYLINE_LABEL_MAX_WORDS = 10  # names after a label: at most this many words
# Where a byline element's text stops being names: a date, a time, a read time, "Updated".
BYLINE_CUT_RE = re.compile(
    rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|"
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH}(?=\s|$)|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b\d{1,2}[:.]\d{2}\b|"
    rf"\b\d+\s*(?:min|mins|minutes?|минут\w*)\b|(?:{_AGO})|{_AGO_I18N}|"
    r"\b(?:updated|published|posted|modified|last updated|aktualisiert|veröffentlicht|"
    r"publié|mis à jour|publicado|actualizado|aggiornato|pubblicato|обновлено|"
    r"опубликовано|оновлено|опубліковано)\b|"
    r"\s(?:and|\+)\s*\d+\s*(?:others?|more)\b|\s\+\s*\d+\b|"
    r"\b(?:view|see|all) (?:profile|articles|posts|stories)\b|\bfollow\b|"
    r"\bmore (?:from|by|articles|stories)\b|\s*[;(]|\S+@\S+|\s@\w+|"
    r"\b(?:photos?|fotos?|pictures?|images?|illustrations?|video|фото)\s*:",
    re.I,
)
# --- author bios at the end of the story (issue 3) -----------------------------------------
BIO_SEARCH_PARAS = 3  # a bio starts within this many paragraphs of the end
# After the author's name (or surname): a bio, not story.
BIO_VERB_RE = re.compile(
    r"\s*(?:,[^,]{1,80},\s*)?(?:is (?:a|an|the|based in|currently|also)\b|covers\b|"
    r"has (?:covered|been|written|reported|worked)\b|writes (?:about|for|on)\b|"
    r"reports (?:on|for|from)\b|joined\b|was previously\b|previously (?:worked|covered)\b|"
    r"ist (?:ein|eine|Redakteur|Korrespondent|Reporter)\w*|schreibt (?:über|für)\b|"
    r"est (?:un|une|le|la|journaliste|rédact)\w*|es (?:un|una|el|la|periodista|redactor)\w*|"
    r"è (?:un|una|il|la|giornalista)\w*|is (?:een|de|redacteur|verslaggever)\b|är\b|"
    r"является\b|—\s*(?:журналист|корреспондент))",
)
# A bio's second paragraph starts with a pronoun ("She was previously ...").
BIO_PRONOUN_RE = re.compile(
    r"(?:She|He|They|Er|Sie|Elle|Il|Ella|Él|Lei|Lui|Hij|Zij|Она|Он|Вона|Він)\s"
)
BIO_MAX_CHARS = 600
# Short lines after a bio or closing the page: links to the author's page and the like.
AUTHOR_TAIL_RE = re.compile(
    r"(?:read|show|see|view|load) (?:more|all|less)(?: \w+){0,2}|"
    r"(?:all|more) (?:articles|stories|posts|news) (?:by|from) [^.!?]{1,60}|"
    r"all (?:articles|stories|posts)|more (?:from|by) [^.!?]{1,60}|"
    r"follow [^.!?]{1,60} on [^.!?]{1,60}|(?:view|see) (?:full )?profile|"
    r"(?:email|contact) (?:the )?(?:author|reporter)|"
    r"alle (?:artikel|beiträge) von [^.!?]{1,60}|tous (?:ses|les) articles[^.!?]{0,60}|"
    r"читать (?:далее|ещё|еще)|все (?:статьи|материалы|публикации) автора",
    re.I,
)
AUTHOR_TAIL_MAX_WORDS = 12
