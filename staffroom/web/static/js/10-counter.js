/*
 * The composer's character counter: "N characters left" under the post field, counted
 * exactly as the server counts (staffroom/text/validate.py weighted_length): the text is
 * NFC-normalised and counted in code points; a URL typed with http:// or https:// counts
 * as the server's url_length, a remote mention @user@domain counts as @user, and everything
 * else (URLs without a scheme included) counts as typed. Finding the URLs, mentions and
 * hashtags is a port of staffroom/text/extract.py and patterns.py, rule for rule;
 * tests/web/test_counter_conformance.py runs this file under node against the server's
 * counter on the whole twitter-text conformance suite, so the two cannot drift apart.
 *
 * The page's part: the template renders, for each composer, a hidden counter element
 * (data-counter-for = the textarea's id) carrying the limit, the URL length and the
 * translated messages per plural category (data-left-one, data-left-other...). Without
 * JavaScript the hint above the field states the limit. The submit button stays enabled:
 * the server is the authority and answers an over-long post with the text kept.
 */
;(function () {
  "use strict";

  // --- character classes (the contents of [...]), as in patterns.py ----------------------
  var SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
  var INVALID = "\ufffe\ufeff\uffff";
  var DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069";
  var LATIN_ACCENTS =
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263" +
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff";
  var CYRILLIC = "\u0400-\u04ff";
  var AT_SIGNS = "@\uff20";
  var HASH_SIGNS = "#\uff03";
  var DOMAIN_PUNCT = "!'#%&()*+,\\\\\\-./:;<=>?@\\[\\]^_{|}~$\"`";
  var CONTROLS = "\x00-\x08\x0e-\x1f\x7f";
  var HASHTAG_SPECIALS =
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003" +
    "\u0f0b\u0f0c\xb7";
  // Python's str \w is exactly [\p{L}\p{N}_]; its hashtag classes are built from the
  // Unicode categories L, M and Nd.
  var HASHTAG_ALPHA = "[\\p{L}\\p{M}]";
  var HASHTAG_ALNUM = "[\\p{L}\\p{M}\\p{Nd}" + HASHTAG_SPECIALS + "]";

  // Python's scoped (?i:...) also matches these characters, which JavaScript's case-
  // insensitive matching does not (found by trying every code point under Python's re).
  var PYTHON_FOLDS = {
    i: "\u0130\u0131", k: "\u212a", s: "\u017f", "\u03b5": "\u03f5",
    "\u0432": "\u1c80", "\u0434": "\u1c81", "\u043e": "\u1c82", "\u0441": "\u1c83",
    "\u0442": "\u1c84\u1c85"
  };

  var TLDS = (
    "aaa abbott abc able abogado ac academy accountant accountants aco active actor ad ads adult " +
    "ae aeg aero af africa ag agency ai airforce airtel al alibaba alipay allstate ally alsace am " +
    "amazon americanexpress amex amica amsterdam analytics android anz ao aol apartments app " +
    "apple aq aquarelle ar arab archi army arpa art arte as asda asia associates at attorney au " +
    "auction audi audible audio auspost author auto autos avianca aw aws ax axa az azure ba baby " +
    "baidu band bank bar barcelona barclaycard barclays bargains basketball bauhaus bayern bb bbc " +
    "bbva bcn bd be beauty beer bentley berlin best bestbuy bet bf bg bh bi bible bid bike bing " +
    "bingo bio biz bj bl black blackfriday blog bloomberg blue bm bms bmw bn bnpparibas bo boats " +
    "bond boo book booking bosch bostik boston bot boutique box bq br bradesco bridgestone " +
    "broadway broker brother brussels bs bt build builders business buy buzz bv bw by bz bzh ca " +
    "cab cafe cal call cam camera camp canon capetown capital car caravan cards care career " +
    "careers cars casa cash casino cat catering catholic cba cbn cc cd center ceo cern cf cfa cfd " +
    "cg ch chanel channel charity chase chat cheap chintai christmas chrome church ci cisco citi " +
    "city ck cl claims cleaning click clinic clothing cloud club clubmed cm cn co coach codes " +
    "coffee college cologne com community company compare computer comsec condos construction " +
    "consulting contact contractors cooking cool coop corsica country coupon coupons courses cr " +
    "credit creditcard cricket crown crs cruise cruises cu cuisinella cv cw cx cy cymru cyou cz " +
    "dad dance data date dating day de deal dealer deals degree delivery dell deloitte democrat " +
    "dental dentist design dev dhl diamonds diet digital direct directory discount discover dj dk " +
    "dm do dog domains download drive dubai durban dvag dz earth eat ec eco edeka edu education " +
    "ee eg eh email energy engineer engineering enterprises epson equipment er ericsson erni es " +
    "esq estate et eu eurovision eus events exchange expert exposed express extraspace fage fail " +
    "fairwinds faith family fan fans farm fashion fast fedex feedback ferrari fi fiat film final " +
    "finance financial fire firestone firmdale fish fishing fit fitness fj fk flickr flights " +
    "florist flowers fly fm fo foo food football ford forex forsale forum foundation fox fr free " +
    "fresenius frl frogans fun fund furniture futbol fyi ga gal gallery gallo game games garden " +
    "gay gb gbiz gd gdn ge gea gent genting gf gg gh gi gift gifts gives giving gl glass gle " +
    "global globo gm gmail gmbh gmo gmx gn godaddy gold goldpoint golf goo goodyear goog google " +
    "gop got gov gp gq gr grainger graphics gratis green gripe group gs gt gu guardian gucci guge " +
    "guide guitars guru gw gy hair hamburg hangout haus hbo hdfc health healthcare help helsinki " +
    "here hermes hiphop hisamitsu hitachi hiv hk hkt hm hn hockey holdings holiday homedepot " +
    "homes honda horse hospital host hosting hot hotels hotmail house how hr hsbc ht hu hyatt " +
    "hyundai ibm icbc ice icu id ie ieee ifm ikano il im imdb immo immobilien in inc industries " +
    "infiniti info ing ink institute insurance insure int international intuit investments io " +
    "ipiranga iq ir irish is ismaili ist istanbul it itau itv jaguar java jcb je jeep jetzt " +
    "jewelry jio jll jm jmp jnj jo jobs joburg jot joy jp jpmorgan jprs juegos juniper kaufen " +
    "kddi ke kerryhotels kfh kg kh ki kia kids kim kindle kitchen kiwi km kn koeln komatsu kosher " +
    "kp kpmg kpn kr krd kred kuokgroup kw ky kyoto kz la lacaixa lamborghini lamer lancaster land " +
    "landrover lanxess lasalle lat latino latrobe law lawyer lb lc lds lease leclerc lefrak legal " +
    "lego lexus lgbt li lidl life lifeinsurance lifestyle lighting like lilly limited limo " +
    "lincoln link lipsy live living lk llc llp loan loans locker locus lol london lotte lotto " +
    "love lpl lplfinancial lr ls lt ltd ltda lu lundbeck luxe luxury lv ly ma madrid maif maison " +
    "makeup man management mango map market marketing markets marriott mba mc mckinsey md me med " +
    "media meet melbourne meme memorial men menu mf mg mh miami microsoft mil mini mint mit " +
    "mitsubishi mk ml mlb mls mm mma mn mo mobi mobile moda moe moi mom monash money monster " +
    "mormon mortgage moscow moto motorcycles mov movie mp mq mr ms msd mt mtn mtr mu museum music " +
    "mutual mv mw mx my mz na nab nagoya name natura navy nba nc ne nec net netbank netflix " +
    "network neustar new news next nextdirect nexus nf nfl ng ngo nhk ni nico nike nikon ninja " +
    "nissan nissay nl no nokia norton now nowruz nowtv np nr nra nrw ntt nu nyc nz obi observer " +
    "office okinawa olayan ollo om omega one ong onion onl online ooo open oracle orange org " +
    "organic origins osaka otsuka ott ovh pa page panasonic paris pars partners parts party pay " +
    "pccw pe pet pf pfizer pg ph pharmacy phd philips phone photo photography photos physio pics " +
    "pictet pictures pid pin ping pink pioneer pizza pk pl place play playstation plumbing plus " +
    "pm pn pnc pohl poker politie porn post pr pramerica praxi press prime pro prod productions " +
    "prof progressive promo properties property protection pru prudential ps pt pub pw pwc py qa " +
    "qpon quebec quest racing radio re read realestate realtor realty recipes red redstone " +
    "redumbrella rehab reise reisen reit reliance ren rent rentals repair report republican rest " +
    "restaurant review reviews rexroth rich richardli ricoh ril rio rip ro rocks rodeo rogers " +
    "room rs rsvp ru rugby ruhr run rw rwe ryukyu sa saarland safe safety sakura sale salon " +
    "samsung sandvik sandvikcoromant sanofi sap sarl sas save saxo sb sbi sbs sc scb schaeffler " +
    "schmidt scholarships school schule schwarz science scot sd se search seat secure security " +
    "seek select sener services seven sew sex sexy sfr sg sh shangrila sharp shell shia shiksha " +
    "shoes shop shopping shouji show si silk sina singles site sj sk ski skin sky skype sl sling " +
    "sm smart smile sn sncf so soccer social softbank software sohu solar solutions song sony soy " +
    "spa space sport spot sr srl ss st stada staples star statebank statefarm stc stockholm " +
    "storage store stream studio study style su sucks supplies supply support surf surgery suzuki " +
    "sv swatch swiss sx sy sydney systems sz tab taipei talk taobao target tatamotors tatar " +
    "tattoo tax taxi tc tci td tdk team tech technology tel temasek tennis teva tf tg th thd " +
    "theater theatre tiaa tickets tienda tips tires tirol tj tjmaxx tjx tk tkmaxx tl tm tmall tn " +
    "to today tokyo tools top toray toshiba total tours town toyota toys tr trade trading " +
    "training travel travelers trust trv tt tube tui tunes tushu tv tvs tw tz ua ubank ubs ug uk " +
    "um unicom university uno uol ups us uy uz va vacations vana vanguard vc ve vegas ventures " +
    "verisign versicherung vet vg vi viajes video vig viking villas vin vip virgin visa vision " +
    "viva vivo vlaanderen vn vodka volkswagen volvo vote voting voto voyage vu wales walmart " +
    "walter wang wanggou watch watches weather weatherchannel webcam weber website wed wedding " +
    "weibo weir wf whoswho wien wiki williamhill win windows wine winners wme wolterskluwer " +
    "woodside work works world wow ws wtc wtf xbox xerox xihuan xin xxx xyz yachts yahoo yamaxun " +
    "yandex ye yodobashi yoga yokohama you youtube yt yun za zappos zara zero zip zm zone zuerich " +
    "zw ελ бг бел дети ею католик ком мкд мон москва онлайн орг рус рф сайт срб укр қаз հայ קום " +
    "ابوظبي الاردن البحرين الجزائر السعودية المغرب اليمن امارات ایران بازار بيتك تونس سودان سورية " +
    "شبكة عراق عرب عمان فلسطين قطر كاثوليك مصر مليسيا موريتانيا موقع همراه پاکستان ڀارت یمن भारत " +
    "भारतम् भारोत বাংলা ভারত ভাৰত ਭਾਰਤ ભારત ଭାରତ இந்தியா இலங்கை சிங்கப்பூர் భారత్ ಭಾರತ ഭാരതം ලංකා " +
    "ไทย გე みんな クラウド グーグル コム ストア セール ファッション ポイント 世界 中国 中國 中文网 企业 佛山 信息 健康 八卦 公司 公益 台湾 台灣 商城 商店 商标 " +
    "嘉里 嘉里大酒店 在线 大拿 天主教 娱乐 家電 工行 广东 微博 慈善 我爱你 手机 招聘 政务 政府 新加坡 新闻 时尚 書籍 机构 游戏 澳門 澳门 点看 珠宝 移动 组织机构 " +
    "网址 网店 网站 网络 联通 诺基亚 谷歌 购物 通販 集团 電訊盈科 飞利浦 食品 餐厅 香格里拉 香港 닷넷 닷컴 삼성 한국 "
  ).split(" ").filter(Boolean);

  var MAX_URL_LENGTH = 4096;
  var MAX_HASHTAG_LENGTH = 100;
  var MAX_TCO_SLUG_LENGTH = 40;
  var MAX_DOMAIN_LABEL_LENGTH = 63;
  var DEFAULT_URL_LENGTH = 23;

  function escapeChar(ch) {
    return /[\\^$.*+?()[\]{}|\/]/.test(ch) ? "\\" + ch : ch;
  }

  /** One character matched case-insensitively as Python's (?i:c) does. */
  function anyCase(ch) {
    var variants = [ch];
    [ch.toLowerCase(), ch.toUpperCase()].forEach(function (v) {
      if (Array.from(v).length === 1 && variants.indexOf(v) < 0) variants.push(v);
    });
    Array.from(PYTHON_FOLDS[ch.toLowerCase()] || "").forEach(function (v) {
      if (variants.indexOf(v) < 0) variants.push(v);
    });
    return variants.length === 1 ? escapeChar(ch) : "[" + variants.map(escapeChar).join("") + "]";
  }

  function anyCaseWord(word) {
    return Array.from(word).map(anyCase).join("");
  }

  /** patterns.trie_regex: an alternation of words that prefers the longest. */
  function trieRegex(words) {
    var trie = {};
    words.forEach(function (word) {
      var node = trie;
      Array.from(word).forEach(function (ch) {
        if (!Object.prototype.hasOwnProperty.call(node, ch)) node[ch] = {};
        node = node[ch];
      });
      node[""] = {};
    });
    return emit(trie);
  }

  function byCodePoint(a, b) {
    var x = a.codePointAt(0) || 0;
    var y = b.codePointAt(0) || 0;
    return x - y;
  }

  function emit(node) {
    var keys = Object.keys(node).filter(Boolean).sort(byCodePoint);
    if (!keys.length) return "";
    var alternatives = keys.map(function (ch) { return anyCase(ch) + emit(node[ch]); });
    var body = alternatives.length === 1 ? alternatives[0] : "(?:" + alternatives.join("|") + ")";
    return Object.prototype.hasOwnProperty.call(node, "") ? "(?:" + body + ")?" : body;
  }

  var P = null;

  /** The compiled patterns, built on first use (never on pages without a composer). */
  function patterns() {
    if (P) return P;
    var notDomain = DOMAIN_PUNCT + SPACES + INVALID + DIRECTIONAL + CONTROLS;
    var dc = "[^" + notDomain + "]";
    var dcOrDash = "[^" + notDomain.replace("\\-", "") + "]";
    var dcOrDashUnderscore = "[^" + notDomain.replace("\\-", "").replace("_", "") + "]";
    var tld = "(?:" + trieRegex(TLDS.slice().sort(byCodePoint)) + ")(?=[^0-9a-zA-Z@+\\-]|$)";
    var punycode = "(?:" + anyCaseWord("xn--") + "[\\-0-9a-zA-Z\u0130\u0131\u017f\u212a]+)";
    var subdomain = "(?:(?:" + dc + dcOrDashUnderscore + "{0,61})?" + dc + "\\.)";
    var domainName = "(?:(?:" + dc + dcOrDash + "{0,61})?" + dc + "\\.)";
    var domain = "(?:" + subdomain + "{0,23}" + domainName + "(?:" + tld + "|" + punycode + "))";
    var pathChar =
      "[a-zA-Z" + CYRILLIC + "0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&" + LATIN_ACCENTS + "]";
    var parens =
      "\\((?:" + pathChar + "+|(?:" + pathChar + "*\\(" + pathChar + "+\\)" + pathChar + "*))\\)";
    var pathEnd = "(?:[+\\-a-zA-Z" + CYRILLIC + "0-9=_#/" + LATIN_ACCENTS + "]|" + parens + ")";
    var path =
      "(?:(?:" + pathChar + "*(?:" + parens + pathChar + "*)*" + pathEnd + ")|(?:@" + pathChar +
      "+/))";
    var queryChar = "[a-zA-Z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]";
    var queryEnd = "[a-zA-Z0-9\\-_&=#/]";
    var protocol = anyCaseWord("http") + anyCase("s") + "?://";
    var label = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}_\\-]*[\\p{L}\\p{N}])?";
    P = {
      url: new RegExp(
        "(?<before>[^A-Za-z0-9" + AT_SIGNS + "$" + HASH_SIGNS + INVALID + "]|^)" +
        "(?<url>(?<protocol>" + protocol + ")?(?<domain>" + domain + ")(?::(?<port>[0-9]+))?" +
        "(?<path>/" + path + "*)?(?<query>\\?" + queryChar + "*" + queryEnd + ")?)",
        "gu"
      ),
      asciiDomain: new RegExp(
        "(?:[\\-a-zA-Z0-9" + LATIN_ACCENTS + "]+\\.)+(?:" + tld + "|" + punycode + ")", "gu"
      ),
      tco: new RegExp(
        "^" + protocol + "t\\.co/(?<slug>[a-zA-Z0-9]+)(?:\\?" + queryChar + "*" + queryEnd + ")?",
        "u"
      ),
      withoutProtocolBadBefore: /[\-_./]$/u,
      idnaDots: /[.\u3002\uff0e\uff61]/u,
      mention: new RegExp(
        "(?<before>^|[^A-Za-z0-9_!#$%&*" + AT_SIGNS + "]|(?:^|[^A-Za-z0-9_+~.\\-])[Rr][Tt]:?)" +
        "[" + AT_SIGNS + "](?<name>[A-Za-z0-9_]{1,30})(?<list>/[A-Za-z][A-Za-z0-9_\\-]{0,24})?",
        "gu"
      ),
      remoteTail: new RegExp(
        "(?<more>(?:[.\\-]+[A-Za-z0-9_]+)*)[" + AT_SIGNS + "](?<domain>" + label + "(?:\\." +
        label + ")+)",
        "yu"
      ),
      endMention: new RegExp("[" + AT_SIGNS + LATIN_ACCENTS + "]|://", "yu"),
      atSign: new RegExp("[" + AT_SIGNS + "]", "u"),
      atSignHere: new RegExp("[" + AT_SIGNS + "]", "yu"),
      hashSign: new RegExp("[" + HASH_SIGNS + "]", "gu"),
      hashtagChars: new RegExp(HASHTAG_ALNUM + "+", "yu"),
      hashtagChar: new RegExp("^" + HASHTAG_ALNUM, "u"),
      hashtagLetter: new RegExp(HASHTAG_ALPHA, "u"),
      endHashtag: new RegExp("[" + HASH_SIGNS + "]|://", "yu"),
      httpPrefix: new RegExp("^" + protocol, "u")
    };
    return P;
  }

  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  /** The code point just before code-unit index i (one or two code units). */
  function charBefore(text, i) {
    var c = text.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
      var h = text.charCodeAt(i - 2);
      if (h >= 0xd800 && h <= 0xdbff) return text.slice(i - 2, i);
    }
    return text.charAt(i - 1);
  }

  function stickyMatch(re, text, at) {
    re.lastIndex = at;
    return re.exec(text);
  }

  // Entities are {kind, start, end, value} with start and end as UTF-16 indices.
  function entity(kind, start, end, value) {
    return { kind: kind, start: start, end: end, value: value };
  }

  // --- URLs (extract._find_urls) --------------------------------------------------------

  /** Python's "punycode" codec (RFC 3492): only the length of the encoding matters here. */
  function punycodeLength(input) {
    var cps = Array.from(input).map(function (ch) { return ch.codePointAt(0) || 0; });
    var basic = cps.filter(function (c) { return c < 0x80; }).length;
    var out = basic > 0 ? basic + 1 : 0;
    var n = 0x80;
    var delta = 0;
    var bias = 72;
    var h = basic;
    while (h < cps.length) {
      var m = Infinity;
      cps.forEach(function (c) { if (c >= n && c < m) m = c; });
      delta += (m - n) * (h + 1);
      n = m;
      for (var j = 0; j < cps.length; j++) {
        var c = cps[j];
        if (c < n) delta++;
        if (c === n) {
          var q = delta;
          for (var k = 36; ; k += 36) {
            var t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
            if (q < t) break;
            out++;
            q = Math.floor((q - t) / (36 - t));
          }
          out++;
          bias = adapt(delta, h + 1, h === basic);
          delta = 0;
          h++;
        }
      }
      delta++;
      n++;
    }
    return out;
  }

  function adapt(delta, points, first) {
    delta = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
    delta += Math.floor(delta / points);
    var k = 0;
    while (delta > 455) {
      delta = Math.floor(delta / 35);
      k += 36;
    }
    return k + Math.floor((36 * delta) / (delta + 38));
  }

  function isAscii(s) {
    return /^[\x00-\x7f]*$/.test(s);
  }

  function idnaOk(domain) {
    var p = patterns();
    p.asciiDomain.lastIndex = 0;
    if (domain.slice(0, 4) === "xn--" && !p.asciiDomain.test(domain)) return false;
    return domain.split(".").every(function (label) {
      var encoded = label.split(p.idnaDots).map(function (part) {
        return isAscii(part) ? part.length : 4 + punycodeLength(part);
      });
      var length = encoded.reduce(function (a, b) { return a + b; }, 0) + encoded.length - 1;
      return length >= 1 && length <= MAX_DOMAIN_LABEL_LENGTH;
    });
  }

  function findUrls(text) {
    if (text.indexOf(".") < 0) return [];
    var p = patterns();
    var found = [];
    var match;
    p.url.lastIndex = 0;
    while ((match = p.url.exec(text)) !== null) {
      var g = match.groups;
      var url = g.url;
      var domain = g.domain;
      var start = match.index + g.before.length;
      var end = start + url.length;
      p.url.lastIndex = match.index + match[0].length;
      if (
        codePoints(g.protocol || "https://") + codePoints(url) > MAX_URL_LENGTH ||
        !idnaOk(domain)
      ) continue;
      if (g.protocol === undefined) {
        if (p.withoutProtocolBadBefore.test(g.before)) continue;
        found.push.apply(found, protocolLess(url, domain, start, end, Boolean(g.path)));
        continue;
      }
      var tco = p.tco.exec(url);
      if (tco !== null) {
        if (codePoints(tco.groups.slug) > MAX_TCO_SLUG_LENGTH) continue;
        url = tco[0];
        end = start + url.length;
      }
      found.push(entity("url", start, end, url));
    }
    return found;
  }

  function protocolLess(url, domain, start, end, hasPath) {
    var p = patterns();
    var found = [];
    var lastEnd = 0;
    var m;
    p.asciiDomain.lastIndex = 0;
    while ((m = p.asciiDomain.exec(domain)) !== null) {
      found.push(entity("url", start + m.index, start + m.index + m[0].length, m[0]));
      lastEnd = m.index + m[0].length;
    }
    if (found.length && hasPath && lastEnd === domain.length) {
      var last = found[found.length - 1];
      found[found.length - 1] = entity("url", last.start, end, last.value + url.slice(domain.length));
    }
    return found;
  }

  // --- mentions (extract._find_mentions) ------------------------------------------------

  function findMentions(text) {
    var p = patterns();
    if (!p.atSign.test(text)) return [];
    var found = [];
    var match;
    p.mention.lastIndex = 0;
    while ((match = p.mention.exec(text)) !== null) {
      var g = match.groups;
      var at = match.index + g.before.length;
      var nameEnd = at + 1 + g.name.length;
      p.mention.lastIndex = match.index + match[0].length;
      var remote = stickyMatch(p.remoteTail, text, nameEnd);
      if (remote !== null) {
        var remoteEnd = nameEnd + remote[0].length;
        if (stickyMatch(p.atSignHere, text, remoteEnd) === null) {
          found.push(entity("mention", at, remoteEnd, text.slice(at + 1, remoteEnd)));
          p.mention.lastIndex = remoteEnd;
          continue;
        }
      }
      if (g.list !== undefined || stickyMatch(p.endMention, text, nameEnd) !== null) continue;
      found.push(entity("mention", at, nameEnd, g.name));
    }
    return found;
  }

  // --- hashtags (extract._find_hashtags) ------------------------------------------------

  function findHashtags(text) {
    var p = patterns();
    var found = [];
    var last = 0;
    var scan = 0;
    var sign;
    for (;;) {
      p.hashSign.lastIndex = scan;
      if ((sign = p.hashSign.exec(text)) === null) break;
      var at = sign.index;
      scan = at + 1;
      if (at > 0) {
        var before = charBefore(text, at);
        if (
          at - before.length < last ||
          (before !== "\ufe0e" && before !== "\ufe0f" &&
            (before === "&" || p.hashtagChar.test(before)))
        ) continue;
      }
      var next = text.charAt(scan);
      if (next === "\ufe0f" || next === "\u20e3") continue;
      var run = stickyMatch(p.hashtagChars, text, scan);
      if (run === null || !p.hashtagLetter.test(run[0])) continue;
      last = scan = scan + run[0].length;
      if (stickyMatch(p.endHashtag, text, last) !== null) continue;
      if (codePoints(run[0]) > MAX_HASHTAG_LENGTH) continue;
      found.push(entity("hashtag", at, last, run[0]));
    }
    return found;
  }

  /** extract.extract_entities: sorted, and where two overlap the first to start wins. */
  function extractEntities(text) {
    var candidates = findUrls(text).concat(findHashtags(text), findMentions(text));
    candidates.sort(function (a, b) { return a.start - b.start; });  // stable
    var entities = [];
    candidates.forEach(function (e) {
      if (entities.length && entities[entities.length - 1].end > e.start) return;
      entities.push(e);
    });
    return entities;
  }

  /** validate.weighted_length: the length the server checks against its limit. */
  function weightedLength(text, urlLength) {
    if (urlLength === undefined) urlLength = DEFAULT_URL_LENGTH;
    text = text.normalize("NFC");
    var length = codePoints(text);
    var p = patterns();
    extractEntities(text).forEach(function (e) {
      var typed = codePoints(text.slice(e.start, e.end));
      if (e.kind === "url" && p.httpPrefix.test(e.value)) {
        length += urlLength - typed;
      } else if (e.kind === "mention" && e.value.indexOf("@") >= 0) {
        length += 1 + e.value.indexOf("@") - typed;
      }
    });
    return length;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { weightedLength: weightedLength, tlds: TLDS };
    return;
  }
  if (typeof document === "undefined") return;

  // --- the page ---------------------------------------------------------------------------

  var THRESHOLD = 20;  // announce when this few are left, at zero and on going over

  function pluralCategory(lang, n) {
    try {
      return new Intl.PluralRules(lang).select(n);
    } catch (e) {
      return n === 1 ? "one" : "other";
    }
  }

  function formatNumber(lang, n) {
    try {
      return new Intl.NumberFormat(lang).format(n);
    } catch (e) {
      return String(n);
    }
  }

  function message(counter, kind, lang, n) {
    var data = counter.dataset;
    var category = pluralCategory(lang, n);
    var key = kind + category.charAt(0).toUpperCase() + category.slice(1);
    var template = data[key] || data[kind + "Other"] || "";
    return template.replace("{n}", formatNumber(lang, n));
  }

  function band(left) {
    if (left < 0) return "over";
    if (left === 0) return "zero";
    if (left <= THRESHOLD) return "near";
    return "ok";
  }

  function attach(counter) {
    var field = document.getElementById(counter.dataset.counterFor || "");
    var live = counter.querySelector("[data-counter-live]");
    var shown = counter.querySelector("[data-counter-text]");
    if (!field || !live || !shown) return;
    var max = parseInt(counter.dataset.max || "", 10);
    var urlLength = parseInt(counter.dataset.urlLength || "", 10);
    if (!(max > 0) || !(urlLength >= 0)) return;
    var lang = document.documentElement.lang || undefined;
    var lastBand = null;

    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(shown.id) < 0 && shown.id) {
      described.push(shown.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }

    // A room's composer (data-append="Tag"): the server adds " #Tag" when the text lacks it.
    var append = counter.dataset.append || "";
    var tagged = append ? new RegExp("(^|[^\\w])[#\uff03]" + append + "(?![\\w])", "i") : null;
    function counted() {
      var text = field.value;
      return tagged && !tagged.test(text) ? text.trim() + " #" + append : text;
    }

    function update() {
      var left = max - weightedLength(counted(), urlLength);
      var text = left >= 0 ? message(counter, "left", lang, left) : message(counter, "over", lang, -left);
      shown.textContent = text;
      var now = band(left);
      counter.classList.toggle("is-near", now === "near" || now === "zero");
      counter.classList.toggle("is-over", now === "over");
      if (now === "over") field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
      // Only crossing into a threshold is announced (politely), not every keystroke.
      if (lastBand !== null && now !== lastBand) {
        live.textContent = now === "ok" ? "" : text;
      }
      lastBand = now;
    }

    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  }

  function start() {
    var counters = document.querySelectorAll("[data-counter-for]");
    for (var i = 0; i < counters.length; i++) attach(counters[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
