"""Demo content of the shared base: home page, standard pages, the library, site settings.

Arabic is the source; French and English are published translations. Every step
looks its object up first, so running the command again changes nothing.
"""

from django.core.files.base import ContentFile

from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from . import demo_files
from .models import DocumentLibraryPage, DocumentTopic, HomePage, LibraryDocument, SiteSettings
from .translation import translate_page

HOME = {
    "ar": {
        "title": "الرئيسية",
        "hero_title": "رابطة: شبكة جمعيات المجتمع المدني المغربي",
        "hero_text": "اكتشفوا الجمعيات ومشاريعها وأنشطتها، وتبادلوا الخبرات في منتديات حسب مجال الاهتمام، وتواصلوا مع متخصصين في القطاع الاجتماعي.",
        "intro": "<p>منصة رقمية لفائدة جمعيات المجتمع المدني، لضمان استمرارية العمل والاستفادة من التوثيق وتبادل الخبرات. أطلقتها جمعية <b>ساعة الفرح</b> في إطار برنامج «مشاركة مواطنة».</p>",
        "quote": "هذه المنصة، وهي الأولى من نوعها على المستوى الوطني، تعمل بصيغة جماعية على شكل منتديات للتفكير والنقاش وتبادل الخبرات حسب مجال الاهتمام.",
        "quote_by": "لبنى بتول بن صالح، منسقة المشروع",
        "cta_title": "تعرفوا على الشبكة",
        "cta_text": "من نحن، وكيف يمكن لجمعيتكم الاستفادة من التواصل المهني.",
        "cta_button": "اقرؤوا المزيد",
    },
    "fr": {
        "title": "Accueil",
        "hero_title": "Rabita : le réseau des associations de la société civile marocaine",
        "hero_text": "Découvrez les associations, leurs projets et leurs activités, échangez vos expériences dans des forums thématiques et entrez en contact avec des spécialistes du secteur social.",
        "intro": "<p>Une plateforme numérique au service des associations de la société civile, pour assurer la continuité de leur action, documenter et échanger les expériences. Lancée par l'association <b>L'Heure Joyeuse</b> dans le cadre du programme « Moucharaka Mouwatina ».</p>",
        "quote": "Cette plateforme, la première du genre au niveau national, fonctionne de manière collective, sous forme de forums de réflexion, de débat et d'échange d'expériences par domaine d'intérêt.",
        "quote_by": "Loubna Batoul Bensaleh, coordinatrice du projet",
        "cta_title": "Découvrez le réseau",
        "cta_text": "Qui nous sommes, et comment votre association peut profiter du réseautage professionnel.",
        "cta_button": "En savoir plus",
    },
    "en": {
        "title": "Home",
        "hero_title": "Rabita: the network of Moroccan civil-society associations",
        "hero_text": "Discover associations, their projects and activities, exchange experience in forums by field of interest, and connect with specialists of the social sector.",
        "intro": "<p>A digital platform for civil-society associations, so they can keep working without interruption, document their work and exchange experience. Launched by the association <b>L'Heure Joyeuse</b> as part of the “Moucharaka Mouwatina” programme.</p>",
        "quote": "This platform, the first of its kind nationally, works collectively as forums for reflection, discussion and the exchange of experience, organised by field of interest.",
        "quote_by": "Loubna Batoul Bensaleh, project coordinator",
        "cta_title": "Get to know the network",
        "cta_text": "Who we are, and how your association can benefit from professional networking.",
        "cta_button": "Read more",
    },
}

STANDARD_PAGES = {
    "about": {
        "menu": True,
        "ar": (
            "من نحن",
            "رابطة منصة رقمية تجمع جمعيات المجتمع المدني المغربي.",
            [
                ("heading", "منصة للتواصل المهني بين الجمعيات"),
                (
                    "paragraph",
                    "<p>تحتوي المنصة على قاعدة بيانات تحدد الجمعيات الأعضاء وخصائصها الرئيسية: مجال النشاط والموقع والحجم، بالإضافة إلى الرسائل الفورية التي تتيح للأعضاء التبادل على نفس الشبكة.</p><p>تتيح أيضا متابعة التقدم المحرز في مشاريع الأعضاء وبرمجة الأنشطة، وتقاسم الجدول الزمني والمراحل التي تم قطعها في تنفيذ كل مشروع.</p>",
                ),
                ("heading", "مبدأ الربط"),
                (
                    "paragraph",
                    "<p>تعمل المنصة وفق مبدأ الربط للتواصل مع متخصص في القطاع الاجتماعي. ويمكن للجمعيات المهتمة الانضمام إلى الشبكة لتتمكن من الولوج والاستفادة من التواصل المهني.</p>",
                ),
            ],
        ),
        "fr": (
            "Qui sommes-nous",
            "Rabita est une plateforme numérique qui réunit les associations de la société civile marocaine.",
            [
                ("heading", "Une plateforme de réseautage professionnel entre associations"),
                (
                    "paragraph",
                    "<p>La plateforme contient une base de données des associations membres et de leurs principales caractéristiques : domaine d'activité, localisation et taille, ainsi qu'une messagerie instantanée qui permet aux membres d'échanger sur le même réseau.</p><p>Elle permet aussi de suivre l'avancement des projets des membres et de programmer des activités, en partageant le calendrier et les phases réalisées de chaque projet.</p>",
                ),
                ("heading", "Le principe de la mise en relation"),
                (
                    "paragraph",
                    "<p>La plateforme fonctionne selon le principe de la mise en relation avec un spécialiste du secteur social. Les associations intéressées peuvent rejoindre le réseau pour y accéder et profiter du réseautage professionnel.</p>",
                ),
            ],
        ),
        "en": (
            "About us",
            "Rabita is a digital platform that brings together Moroccan civil-society associations.",
            [
                ("heading", "A professional network for associations"),
                (
                    "paragraph",
                    "<p>The platform holds a database of member associations and their main characteristics: field of activity, location and size, and instant messages that let members exchange on the same network.</p><p>It also lets members follow the progress of their projects and schedule activities, sharing each project's timeline and completed phases.</p>",
                ),
                ("heading", "The principle of linking"),
                (
                    "paragraph",
                    "<p>The platform works on the principle of linking associations with specialists of the social sector. Interested associations can join the network to gain access and benefit from professional networking.</p>",
                ),
            ],
        ),
    },
    "legal-notice": {
        "menu": False,
        "ar": (
            "الإشعار القانوني",
            "ناشر المنصة وشروط استعمالها.",
            [
                (
                    "paragraph",
                    "<p>تنشر هذه المنصة جمعية ساعة الفرح، الدار البيضاء. يلتزم المستعملون باحترام الآخرين وعدم نشر أي محتوى مسيء أو تحريضي. تخضع المساهمات في المنتديات للإشراف.</p>",
                )
            ],
        ),
        "fr": (
            "Mentions légales",
            "L'éditeur de la plateforme et ses conditions d'utilisation.",
            [
                (
                    "paragraph",
                    "<p>Cette plateforme est éditée par l'association L'Heure Joyeuse, Casablanca. Les utilisateurs s'engagent à respecter autrui et à ne publier aucun contenu injurieux ou incitant à la haine. Les contributions aux forums sont modérées.</p>",
                )
            ],
        ),
        "en": (
            "Legal notice",
            "The publisher of the platform and its terms of use.",
            [
                (
                    "paragraph",
                    "<p>This platform is published by the association L'Heure Joyeuse, Casablanca. Users undertake to respect others and not to publish abusive or inciting content. Forum contributions are moderated.</p>",
                )
            ],
        ),
    },
    "privacy": {
        "menu": False,
        "ar": (
            "حماية المعطيات الشخصية",
            "كيف نعالج معطياتكم الشخصية وفق القانون 09-08.",
            [
                (
                    "paragraph",
                    "<p>نجمع فقط المعطيات الضرورية لتشغيل المنصة: عنوان البريد الإلكتروني والاسم المعروض وتفضيل اللغة. لا تظهر عناوين البريد الإلكتروني للأعضاء للعموم. يمكنكم طلب الولوج إلى معطياتكم أو تصحيحها أو حذفها عبر عنوان الاتصال.</p>",
                )
            ],
        ),
        "fr": (
            "Protection des données personnelles",
            "Comment nous traitons vos données personnelles, conformément à la loi 09-08.",
            [
                (
                    "paragraph",
                    "<p>Nous ne collectons que les données nécessaires au fonctionnement de la plateforme : adresse e-mail, nom affiché et langue préférée. Les adresses e-mail des membres ne sont jamais publiées. Vous pouvez demander l'accès, la rectification ou la suppression de vos données à l'adresse de contact.</p>",
                )
            ],
        ),
        "en": (
            "Personal data protection",
            "How we process your personal data, under Moroccan law 09-08.",
            [
                (
                    "paragraph",
                    "<p>We collect only the data the platform needs to work: e-mail address, display name and preferred language. Members' e-mail addresses are never published. You may ask to access, correct or delete your data at the contact address.</p>",
                )
            ],
        ),
    },
}

LIBRARY = {
    "ar": (
        "مكتبة الوثائق",
        "أدلة ونماذج تحملها الجمعيات مجانا: الحكامة، التمويل، تدبير المشاريع والتواصل.",
    ),
    "fr": (
        "Bibliothèque de documents",
        "Guides et modèles que les associations téléchargent gratuitement : gouvernance, financement, gestion de projet et communication.",
    ),
    "en": (
        "Document library",
        "Guides and templates associations download for free: governance, funding, project management and communication.",
    ),
}

TOPICS = [
    (
        "governance",
        {
            "ar": "الحكامة والإطار القانوني",
            "fr": "Gouvernance et cadre juridique",
            "en": "Governance and legal framework",
        },
    ),
    (
        "funding",
        {
            "ar": "التمويل والشراكات",
            "fr": "Financement et partenariats",
            "en": "Funding and partnerships",
        },
    ),
    ("projects", {"ar": "تدبير المشاريع", "fr": "Gestion de projet", "en": "Project management"}),
    ("communication", {"ar": "التواصل", "fr": "Communication", "en": "Communication"}),
]


def is_translated(page, language):
    """True when `page` has a real translation (not a synchronised alias) in `language`."""
    translation = page.get_translation_or_none(Locale.objects.get(language_code=language))
    return translation is not None and translation.alias_of_id is None


def _body(blocks):
    body = []
    for kind, value in blocks:
        if kind == "heading":
            body.append(("heading", {"text": value, "level": "h2"}))
        else:
            body.append(("paragraph", RichText(value)))
    return body


def _home_body(texts, about_page):
    return [
        ("quote", {"quote": texts["quote"], "attribution": texts["quote_by"]}),
        (
            "call_to_action",
            {
                "title": texts["cta_title"],
                "text": texts["cta_text"],
                "button_label": texts["cta_button"],
                "page": about_page,
                "external_url": "",
            },
        ),
    ]


def ensure_home():
    """The Arabic home page as the default site's root, replacing Wagtail's welcome page."""
    arabic = Locale.objects.get(language_code="ar")
    home = HomePage.objects.filter(locale=arabic).first()
    if home is None:
        texts = HOME["ar"]
        home = Page.get_first_root_node().add_child(
            instance=HomePage(
                title=texts["title"],
                slug="rabita",
                locale=arabic,
                hero_title=texts["hero_title"],
                hero_text=texts["hero_text"],
                intro=texts["intro"],
            )
        )
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    site.root_page = home
    site.site_name = "Rabita"
    site.save()
    # Wagtail's "Welcome" page (a plain Page at the top of the tree) and its aliases.
    welcome = Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    )
    for page in welcome:
        Page.objects.filter(alias_of=page).delete()
        page.delete()
    return home


def ensure_standard_page(home, slug, spec):
    from .models import StandardPage

    page = StandardPage.objects.child_of(home).filter(slug=slug).first()
    title, intro, blocks = spec["ar"]
    if page is None:
        page = home.add_child(
            instance=StandardPage(
                title=title, slug=slug, intro=intro, body=_body(blocks), show_in_menus=spec["menu"]
            )
        )
        page.save_revision().publish()
    for language in ("fr", "en"):
        if not is_translated(page, language):
            title, intro, blocks = spec[language]
            translate_page(page, language, title=title, intro=intro, body=_body(blocks))
    return page


def ensure_library(home):
    page = DocumentLibraryPage.objects.child_of(home).first()
    if page is None:
        title, intro = LIBRARY["ar"]
        page = home.add_child(
            instance=DocumentLibraryPage(
                title=title, slug="library", intro=intro, show_in_menus=True
            )
        )
        page.save_revision().publish()
    for language in ("fr", "en"):
        if not is_translated(page, language):
            title, intro = LIBRARY[language]
            translate_page(page, language, title=title, intro=intro)
    return page


def ensure_topics():
    """Topics in Arabic, with their French and English translations."""
    topics = {}
    for key, names in TOPICS:
        arabic = Locale.objects.get(language_code="ar")
        topic = DocumentTopic.objects.filter(locale=arabic, name=names["ar"]).first()
        if topic is None:
            topic = DocumentTopic.objects.create(
                locale=arabic, name=names["ar"], sort_order=len(topics)
            )
        for language in ("fr", "en"):
            locale = Locale.objects.get(language_code=language)
            if not topic.has_translation(locale):
                translation = topic.copy_for_translation(locale)
                translation.name = names[language]
                translation.save()
        topics[key] = topic
    return topics


def demo_documents():
    """(title, topic, language, description, file name, bytes)."""
    return [
        (
            "نموذج الميزانية التقديرية لمشروع جمعوي",
            "funding",
            "ar",
            "جدول جاهز لإعداد الميزانية التقديرية لمشروع وتقديمه للممولين.",
            "budget-previsionnel-projet.xlsx",
            demo_files.spreadsheet(
                "الميزانية",
                [
                    "البند",
                    "الوحدة",
                    "الكمية",
                    "الكلفة الوحدوية (درهم)",
                    "المجموع (درهم)",
                    "مساهمة الجمعية",
                    "مساهمة الممول",
                ],
                [
                    ["الموارد البشرية", "شهر", 12, 4000, 48000, 8000, 40000],
                    ["التكوين", "دورة", 4, 6000, 24000, 0, 24000],
                    ["التواصل", "حملة", 2, 5000, 10000, 2000, 8000],
                ],
                right_to_left=True,
            ),
        ),
        (
            "Modèle de rapport d'activité annuel",
            "governance",
            "fr",
            "Trame du rapport moral et d'activité à présenter à l'assemblée générale.",
            "rapport-activite-annuel.xlsx",
            demo_files.spreadsheet(
                "Rapport",
                [
                    "Activité",
                    "Date",
                    "Lieu",
                    "Bénéficiaires (femmes)",
                    "Bénéficiaires (hommes)",
                    "Partenaires",
                    "Résultats",
                ],
                [
                    [
                        "Atelier de citoyenneté",
                        "2026-03-14",
                        "Aïn Sebaâ",
                        18,
                        12,
                        "Commune",
                        "30 jeunes formés",
                    ]
                ],
            ),
        ),
        (
            "Guide : créer et gérer une association au Maroc",
            "governance",
            "fr",
            "Les étapes de la déclaration (dahir du 15 novembre 1958), les statuts, l'assemblée générale et le renouvellement du bureau.",
            "guide-creer-association.pdf",
            demo_files.pdf(
                "Créer et gérer une association au Maroc",
                [
                    "1. La déclaration : le dossier (statuts, liste des membres du bureau, procès-verbal de l'assemblée constitutive) est déposé auprès de l'autorité administrative locale, qui remet un récépissé provisoire.",
                    "2. Les statuts fixent l'objet, le siège, la durée, les organes et les ressources de l'association.",
                    "3. L'assemblée générale se réunit au moins une fois par an et approuve les rapports moral et financier.",
                    "4. Tout changement dans le bureau ou les statuts est déclaré dans le mois qui suit.",
                ],
            ),
        ),
        (
            "Guide to writing a funding proposal",
            "funding",
            "en",
            "How to present the context, objectives, activities, budget and evaluation of a project to a funder.",
            "funding-proposal-guide.pdf",
            demo_files.pdf(
                "Writing a funding proposal",
                [
                    "Context: describe the need with figures from your territory and the people concerned.",
                    "Objectives: one general objective and two or three specific, measurable objectives.",
                    "Activities and timeline: what, when, where, with whom; show the phases of the project.",
                    "Budget: link each line to an activity; show your own contribution and other partners.",
                    "Monitoring and evaluation: indicators, sources of verification and who collects them.",
                ],
            ),
        ),
        (
            "سجل المنخرطين",
            "governance",
            "ar",
            "نموذج سجل لتتبع المنخرطين وتواريخ انخراطهم وأداء واجب الانخراط.",
            "registre-adherents.xlsx",
            demo_files.spreadsheet(
                "المنخرطون",
                [
                    "الاسم الكامل",
                    "رقم البطاقة الوطنية",
                    "تاريخ الانخراط",
                    "الهاتف",
                    "واجب الانخراط (درهم)",
                    "ملاحظات",
                ],
                [],
                right_to_left=True,
            ),
        ),
        (
            "Plan de communication d'une association",
            "communication",
            "fr",
            "Un tableau pour planifier vos messages, publics, canaux et calendrier de communication.",
            "plan-communication.xlsx",
            demo_files.spreadsheet(
                "Plan",
                ["Message", "Public", "Canal", "Date", "Responsable", "Indicateur"],
                [
                    [
                        "Lancement du projet",
                        "Jeunes du quartier",
                        "Réunion publique",
                        "2026-09-01",
                        "Chargée de communication",
                        "Nombre de participants",
                    ]
                ],
            ),
        ),
        (
            "جدول تتبع مراحل المشروع",
            "projects",
            "ar",
            "جدول لتتبع مراحل المشروع ومحطاته الرئيسية ونسبة الإنجاز.",
            "suivi-phases-projet.xlsx",
            demo_files.spreadsheet(
                "المراحل",
                [
                    "المرحلة",
                    "تاريخ البداية المتوقع",
                    "تاريخ النهاية المتوقع",
                    "الحالة",
                    "نسبة الإنجاز",
                    "ملاحظات",
                ],
                [
                    ["التشخيص التشاركي", "2026-01-10", "2026-02-28", "منجزة", "100%", ""],
                    ["تكوين الشباب", "2026-03-01", "2026-06-30", "قيد الإنجاز", "40%", ""],
                ],
                right_to_left=True,
            ),
        ),
    ]


def ensure_documents(topics):
    collection = Collection.get_first_root_node()
    for title, topic_key, language, description, filename, content in demo_documents():
        if LibraryDocument.objects.filter(title=title).exists():
            continue
        LibraryDocument.objects.create(
            title=title,
            file=ContentFile(content, name=filename),
            collection=collection,
            topic=topics[topic_key],
            language=language,
            description=description,
        )


def ensure_home_translations(home, about):
    for language in ("fr", "en"):
        locale = Locale.objects.get(language_code=language)
        if not is_translated(home, language):
            texts = HOME[language]
            translate_page(
                home,
                language,
                title=texts["title"],
                hero_title=texts["hero_title"],
                hero_text=texts["hero_text"],
                intro=texts["intro"],
                body=_home_body(texts, about.get_translation(locale)),
            )


def ensure_site_settings(legal, privacy):
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    settings.contact_email = settings.contact_email or "contact@rabita.ma"
    settings.contact_phone = settings.contact_phone or "+212 522 24 18 90"
    settings.address = settings.address or "جمعية ساعة الفرح\nزنقة الفرح، عين السبع\nالدار البيضاء"
    settings.legal_notice_page = settings.legal_notice_page or legal
    settings.privacy_page = settings.privacy_page or privacy
    settings.save()


def load(command, options):
    home = ensure_home()
    pages = {slug: ensure_standard_page(home, slug, spec) for slug, spec in STANDARD_PAGES.items()}
    if not home.body:
        home.body = _home_body(HOME["ar"], pages["about"])
        home.save_revision().publish()
    ensure_home_translations(home, pages["about"])
    ensure_library(home)
    ensure_documents(ensure_topics())
    ensure_site_settings(pages["legal-notice"], pages["privacy"])
    command.stdout.write("  home page, standard pages and the document library (ar, fr, en)")
