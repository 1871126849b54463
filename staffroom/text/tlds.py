# ruff: noqa: RUF001  (the internationalised TLDs are meant to be Cyrillic, Greek...)
"""Top-level domains recognised when finding URLs in post text.

A hand-maintained list (lower case): every delegated two-letter country code, the
internationalised country codes, the legacy generic TLDs and the widely used new generic
TLDs. A URL typed without ``http://`` is only recognised when it ends in one of these, so
that ``file.txt`` or ``foo.baz`` are not turned into links. Adding a TLD here is safe: it
only makes more text linkable.
"""

from __future__ import annotations

_COUNTRY = """
ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq
br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do
dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt
gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr
kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt
mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt
pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc
td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws
ye yt za zm zw
中国 中國 香港 台湾 台灣 新加坡 澳門 澳门 한국 рф укр срб бел бг қаз мон мкд ελ ею հայ გე
ไทย ලංකා இலங்கை சிங்கப்பூர் இந்தியா भारत भारतम् भारोत ভারত ভাৰত বাংলা ਭਾਰਤ ભારત ଭାରତ
భారత్ ಭಾರತ ഭാരതം پاکستان الجزائر مصر ایران ڀارت عمان فلسطين قطر السعودية امارات الاردن
البحرين المغرب تونس سودان سورية عراق مليسيا موريتانيا یمن اليمن
"""

_GENERIC = """
aero arpa asia biz cat com coop edu gov info int jobs mil mobi museum name net onion org post
pro tel travel xxx
aaa abbott abc able abogado academy accountant accountants aco active actor ads adult aeg
africa agency airforce airtel alibaba alipay allstate ally alsace amazon americanexpress amex
amica amsterdam analytics android anz aol apartments app apple aquarelle arab archi army art
arte asda associates attorney auction audi audible audio auspost author auto autos avianca aws
axa azure baby baidu band bank bar barcelona barclaycard barclays bargains basketball bauhaus
bayern bbc bbva bcn beauty beer bentley berlin best bestbuy bet bible bid bike bing bingo bio
black blackfriday blog bloomberg blue bms bmw bnpparibas boats bond boo book booking bosch
bostik boston bot boutique box bradesco bridgestone broadway broker brother brussels build
builders business buy buzz bzh cab cafe cal call cam camera camp canon capetown capital car
caravan cards care career careers cars casa cash casino catering catholic cba cbn center ceo
cern cfa cfd chanel channel charity chase chat cheap chintai christmas chrome church cisco
citi city claims cleaning click clinic clothing cloud club clubmed coach codes coffee college
cologne community company compare computer comsec condos construction consulting contact
contractors cooking cool corsica country coupon coupons courses credit creditcard cricket
crown crs cruise cruises cuisinella cymru cyou dad dance data date dating day deal dealer
deals degree delivery dell deloitte democrat dental dentist design dev dhl diamonds diet
digital direct directory discount discover dog domains download drive dubai durban dvag earth
eat eco edeka education email energy engineer engineering enterprises epson equipment
ericsson erni esq estate eurovision eus events exchange expert exposed express extraspace fage
fail fairwinds faith family fan fans farm fashion fast fedex feedback ferrari fiat film final
finance financial fire firestone firmdale fish fishing fit fitness flickr flights florist
flowers fly foo food football ford forex forsale forum foundation fox free fresenius frl
frogans fun fund furniture futbol fyi gal gallery gallo game games garden gay gbiz gdn gea gent
genting gift gifts gives giving glass gle global globo gmail gmbh gmo gmx godaddy gold
goldpoint golf goo goodyear goog google gop got grainger graphics gratis green gripe group
guardian gucci guge guide guitars guru hair hamburg hangout haus hbo hdfc health healthcare
help helsinki here hermes hiphop hisamitsu hitachi hiv hkt hockey holdings holiday homedepot
homes honda horse hospital host hosting hot hotels hotmail house how hsbc hyatt hyundai ibm
icbc ice icu ieee ifm ikano imdb immo immobilien inc industries infiniti ing ink institute
insurance insure international intuit investments ipiranga irish ismaili ist istanbul itau
itv jaguar java jcb jeep jetzt jewelry jio jll jmp jnj joburg jot joy jpmorgan jprs juegos
juniper kaufen kddi kerryhotels kfh kia kids kim kindle kitchen kiwi koeln komatsu kosher kpmg
kpn krd kred kuokgroup kyoto lacaixa lamborghini lamer lancaster land landrover lanxess
lasalle lat latino latrobe law lawyer lds lease leclerc lefrak legal lego lexus lgbt lidl life
lifeinsurance lifestyle lighting like lilly limited limo lincoln link lipsy live living llc
llp loan loans locker locus lol london lotte lotto love lpl lplfinancial ltd ltda lundbeck
luxe luxury madrid maif maison makeup man management mango map market marketing markets
marriott mba mckinsey med media meet melbourne meme memorial men menu miami microsoft mini mint
mit mitsubishi mlb mls mma mobile moda moe moi mom monash money monster mormon mortgage moscow
moto motorcycles mov movie msd mtn mtr music mutual nab nagoya natura navy nba nec netbank
netflix network neustar new news next nextdirect nexus nfl ngo nhk nico nike nikon ninja nissan
nissay nokia norton now nowruz nowtv nra nrw ntt nyc obi observer office okinawa olayan ollo
omega one ong onl online ooo open oracle orange organic origins osaka otsuka ott ovh page
panasonic paris pars partners parts party pay pccw pet pfizer pharmacy phd philips phone photo
photography photos physio pics pictet pictures pid pin ping pink pioneer pizza place play
playstation plumbing plus pnc pohl poker politie porn pramerica praxi press prime prod
productions prof progressive promo properties property protection pru prudential pub pwc qpon
quebec quest racing radio read realestate realtor realty recipes red redstone redumbrella rehab
reise reisen reit reliance ren rent rentals repair report republican rest restaurant review
reviews rexroth rich richardli ricoh ril rio rip rocks rodeo rogers room rsvp rugby ruhr run
rwe ryukyu saarland safe safety sakura sale salon samsung sandvik sandvikcoromant sanofi sap
sarl sas save saxo sbi sbs scb schaeffler schmidt scholarships school schule schwarz science
scot search seat secure security seek select sener services seven sew sex sexy sfr shangrila
sharp shell shia shiksha shoes shop shopping shouji show silk sina singles site ski skin sky
skype sling smart smile sncf soccer social softbank software sohu solar solutions song sony
soy spa space sport spot srl stada staples star statebank statefarm stc stockholm storage
store stream studio study style sucks supplies supply support surf surgery suzuki swatch swiss
sydney systems tab taipei talk taobao target tatamotors tatar tattoo tax taxi tci tdk team tech
technology temasek tennis teva thd theater theatre tiaa tickets tienda tips tires tirol tjmaxx
tjx tkmaxx tmall today tokyo tools top toray toshiba total tours town toyota toys trade
trading training travelers trust trv tube tui tunes tushu tvs ubank ubs unicom university uno
uol ups vacations vana vanguard vegas ventures verisign versicherung vet viajes video vig
viking villas vin vip virgin visa vision viva vivo vlaanderen vodka volkswagen volvo vote
voting voto voyage wales walmart walter wang wanggou watch watches weather weatherchannel
webcam weber website wed wedding weibo weir whoswho wien wiki williamhill win windows wine
winners wme wolterskluwer woodside work works world wow wtc wtf xbox xerox xihuan xin xyz
yachts yahoo yamaxun yandex yodobashi yoga yokohama you youtube yun zappos zara zero zip zone
zuerich
みんな コム クラウド セール ストア ファッション ポイント グーグル 닷컴 닷넷 삼성 公司 网络 网址
网站 网店 在线 中文网 商城 游戏 移动 集团 八卦 手机 我爱你 政务 政府 广东 佛山 时尚 微博 点看
购物 世界 企业 信息 健康 公益 商店 商标 娱乐 家電 工行 慈善 招聘 新闻 書籍 机构 珠宝 联通 谷歌
通販 餐厅 食品 大拿 天主教 组织机构 诺基亚 飞利浦 香格里拉 電訊盈科 嘉里 嘉里大酒店 ком онлайн
сайт орг дети рус католик москва קום موقع شبكة بيتك عرب ابوظبي كاثوليك همراه بازار
"""

COUNTRY_TLDS: frozenset[str] = frozenset(_COUNTRY.split())
"""Country-code TLDs, ASCII and internationalised."""

GENERIC_TLDS: frozenset[str] = frozenset(_GENERIC.split())
"""Generic TLDs, legacy and new, ASCII and internationalised."""

ALL_TLDS: frozenset[str] = COUNTRY_TLDS | GENERIC_TLDS
