"""Demo forums: a topic with replies in every field's forum, in Arabic or French, by
the demo members; an announcement, a help question and a post in L'Heure Joyeuse's
private forum. Idempotent (a topic is added once, by subject) and fast: the search
index is written in one batch at the end."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User

from . import search, structure
from .models import ForumOrigin

HJ = "heure.joyeuse@example.org"
MEMBER = "member@example.org"
SPECIALIST = "specialist@example.org"
MODERATOR = "moderator@example.org"
EDITOR = "editor@example.org"

# slug → (author, subject, body, [(author, reply)])
FIELD_TOPICS = {
    "education": (
        HJ,
        "تجارب في الدعم المدرسي بالأحياء الشعبية",
        "ننظم منذ ثلاث سنوات حصصا للدعم المدرسي لفائدة تلاميذ الإعدادي في درب السلطان. "
        "كيف تتعاملون مع انقطاع المتطوعين خلال فترة الامتحانات؟",
        [
            (
                MEMBER,
                "Chez nous, nous faisons signer une charte aux bénévoles en début d'année "
                "et nous prévoyons des binômes pour chaque classe.",
            ),
            (SPECIALIST, "أنصح بتكوين قصير للمتطوعين حول التعلمات الأساسية، فهو يزيد من التزامهم."),
        ],
    ),
    "health": (
        MEMBER,
        "Organiser une caravane médicale en zone rurale",
        "Nous préparons une caravane médicale dans la province d'Al Haouz au printemps. "
        "Quelles autorisations avez-vous dû demander, et auprès de qui ?",
        [
            (
                HJ,
                "يجب مراسلة المندوبية الإقليمية للصحة قبل شهرين على الأقل، مع لائحة الأطباء المشاركين.",
            ),
            (MEMBER, "Merci, c'est noté. Nous contacterons aussi la commune pour le local."),
        ],
    ),
    "women-rights": (
        SPECIALIST,
        "مواكبة النساء ضحايا العنف: الإحالة على المصالح المختصة",
        "ما هي المساطر التي تعتمدونها عند استقبال امرأة ضحية عنف؟ وهل لديكم شراكة مع خلايا التكفل بالمحاكم؟",
        [
            (
                MEMBER,
                "Nous travaillons avec la cellule de prise en charge du tribunal de première instance ; "
                "un protocole écrit nous a beaucoup aidés.",
            )
        ],
    ),
    "youth": (
        MEMBER,
        "Impliquer les jeunes dans la gouvernance de l'association",
        "Nos jeunes bénévoles veulent plus de responsabilités. Avez-vous un conseil des jeunes "
        "ou des sièges réservés au bureau ?",
        [
            (HJ, "خصصنا مقعدين في المكتب المسير لشباب أقل من 25 سنة، والتجربة ناجحة."),
            (SPECIALIST, "المهم هو تحديد مهام واضحة ومواكبة منتظمة."),
        ],
    ),
    "childhood": (
        HJ,
        "المخيمات الصيفية: كيف نضمن سلامة الأطفال؟",
        "نستعد لتنظيم مخيم صيفي لمائة طفل. نبحث عن نماذج لميثاق حماية الطفولة ولوائح التأطير.",
        [
            (
                SPECIALIST,
                "يمكنكم الاعتماد على دليل وزارة الشباب، مع تكوين المؤطرين في الإسعافات الأولية.",
            ),
            (
                MEMBER,
                "Nous pouvons partager notre charte de protection de l'enfance, traduite en arabe.",
            ),
        ],
    ),
    "disability": (
        MEMBER,
        "Accessibilité des locaux associatifs",
        "Notre local n'a pas de rampe d'accès. Connaissez-vous des financements pour "
        "les travaux d'accessibilité ?",
        [(HJ, "صندوق دعم التماسك الاجتماعي يمول أحيانا مشاريع الولوجيات، راجعوا طلبات العروض.")],
    ),
    "elderly": (
        HJ,
        "زيارات منزلية للمسنين المعزولين",
        "أطلقنا برنامجا لزيارة المسنين الذين يعيشون وحدهم. كيف تنظمون جدول الزيارات والتتبع؟",
        [(MEMBER, "Un simple tableau partagé et un appel hebdomadaire suffisent pour commencer.")],
    ),
    "environment": (
        MEMBER,
        "Campagnes de nettoyage des plages : bilan",
        "Nous avons ramassé 2 tonnes de déchets cet été à Dar Bouazza. "
        "Comment mesurez-vous l'impact au-delà des quantités ?",
        [(SPECIALIST, "يمكن قياس تغير السلوك عبر استمارات قبلية وبعدية لدى المشاركين.")],
    ),
    "culture-heritage": (
        HJ,
        "توثيق التراث الشفهي في الأحياء القديمة",
        "نرغب في تسجيل حكايات كبار السن في المدينة القديمة. ما هي الأدوات والموافقات الضرورية؟",
        [
            (
                MEMBER,
                "Pensez au consentement écrit des personnes enregistrées et à l'archivage en double.",
            )
        ],
    ),
    "human-rights": (
        SPECIALIST,
        "التربية على حقوق الإنسان في المؤسسات التعليمية",
        "أشارككم دليلا لأنشطة تفاعلية حول حقوق الطفل موجهة لتلاميذ الابتدائي.",
        [(HJ, "شكرا، سنجربه في أنديتنا التربوية هذا الموسم.")],
    ),
    "rural-development": (
        MEMBER,
        "Coopératives féminines et accès au marché",
        "Nous accompagnons trois coopératives d'argan. Le principal frein reste la "
        "commercialisation. Quelles solutions avez-vous testées ?",
        [
            (HJ, "جربنا البيع عبر المعارض الجهوية، ثم عبر متجر إلكتروني مشترك."),
            (SPECIALIST, "التصديق على الجودة يفتح أبوابا جديدة للتسويق."),
        ],
    ),
    "social-economy": (
        HJ,
        "تمويل المشاريع المدرة للدخل",
        "ما هي تجاربكم مع المبادرة الوطنية للتنمية البشرية في تمويل الأنشطة المدرة للدخل؟",
        [
            (
                MEMBER,
                "Le dossier est exigeant : prévoyez une étude de marché simple et un budget détaillé.",
            )
        ],
    ),
    "sport": (
        MEMBER,
        "Le sport comme outil d'insertion",
        "Nous lançons une école de football pour les jeunes du quartier. "
        "Des conseils pour trouver des terrains ?",
        [(HJ, "اتصلوا بالمجلس الجماعي، فملاعب القرب متاحة للجمعيات بعد توقيع اتفاقية.")],
    ),
    "digital-inclusion": (
        HJ,
        "تكوين النساء على استعمال الهاتف الذكي",
        "ننظم ورشات لمحو الأمية الرقمية لفائدة النساء. ما هي المواضيع الأكثر فائدة في رأيكم؟",
        [
            (
                MEMBER,
                "Les démarches administratives en ligne et la sécurité des comptes sont très demandées.",
            )
        ],
    ),
    "humanitarian-aid": (
        MEMBER,
        "Coordination des dons après une catastrophe",
        "Après le séisme, beaucoup de dons sont arrivés sans coordination. "
        "Comment éviter les doublons entre associations ?",
        [
            (SPECIALIST, "من المهم إنشاء خلية تنسيق محلية ولائحة مشتركة بالحاجيات."),
            (HJ, "نقترح استعمال هذا المنتدى لتبادل الحاجيات بين الجمعيات."),
        ],
    ),
}
FALLBACK = (MEMBER, "Partage d'expériences", "Présentez vos projets dans ce domaine.", [])
GENERAL_TOPICS = {
    ForumOrigin.ANNOUNCEMENTS: (
        EDITOR,
        "Bienvenue sur les forums de Rabita",
        "Ces forums sont ouverts à toutes les associations membres du réseau. "
        "Merci de respecter la charte : bienveillance, pas de données personnelles, pas de publicité.",
        [],
    ),
    ForumOrigin.HELP: (
        MEMBER,
        "Comment suivre un forum par e-mail ?",
        "Je voudrais recevoir un résumé quotidien des nouveaux messages. Où se trouve ce réglage ?",
        [(MODERATOR, "من صفحة «رسائل المنتديات»، اختر «مرة في اليوم (ملخص)».")],
    ),
}
PRIVATE_TOPIC = (
    HJ,
    "تحضير الجمع العام السنوي",
    "المرجو من أعضاء المكتب الاطلاع على مشروع التقرير الأدبي قبل يوم الجمعة.",
    [],
)


def _people():
    emails = [HJ, MEMBER, SPECIALIST, MODERATOR, EDITOR]
    # The demo members are established members, not new accounts (limits.py).
    recent = timezone.now() - timedelta(days=1)
    User.objects.filter(email__in=emails, date_joined__gt=recent).update(
        date_joined=timezone.now() - timedelta(days=90)
    )
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _add_topic(forum, people, author, subject, body, replies):
    from machina.apps.forum_conversation.models import Post, Topic

    if author not in people or Topic.objects.filter(forum=forum, subject=subject).exists():
        return 0
    topic = Topic.objects.create(
        forum=forum, subject=subject, poster=people[author], type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED, approved=True,
    )  # fmt: skip
    Post.objects.create(
        topic=topic, poster=people[author], subject=subject, content=body, approved=True
    )
    for reply_author, text in replies:
        if reply_author in people:
            Post.objects.create(
                topic=topic, poster=people[reply_author], subject=f"Re: {subject}", content=text,
                approved=True,
            )  # fmt: skip
    return 1


def load(command, options):
    from machina.apps.forum_conversation.models import Post

    from directory.models import AssociationPage
    from directory.taxonomies import FieldOfActivity

    with search.paused():
        structure.ensure_structure()
        people = _people()
        added = 0
        origins = ForumOrigin.objects.select_related("forum")
        fields = {
            str(key): slug
            for key, slug in FieldOfActivity.source_terms().values_list("translation_key", "slug")
        }
        for origin in origins:
            if origin.kind == ForumOrigin.FIELD:
                slug = fields.get(origin.key)
                added += _add_topic(origin.forum, people, *FIELD_TOPICS.get(slug, FALLBACK))
            elif origin.kind in GENERAL_TOPICS:
                added += _add_topic(origin.forum, people, *GENERAL_TOPICS[origin.kind])
        heure_joyeuse = AssociationPage.objects.filter(
            registration_number="CASA-1959-0427", locale__language_code="ar"
        ).first()
        if heure_joyeuse is not None:
            origin = origins.filter(
                kind=ForumOrigin.ASSOCIATION, key=str(heure_joyeuse.translation_key)
            ).first()
            if origin:
                added += _add_topic(origin.forum, people, *PRIVATE_TOPIC)
    if added:
        search.update_posts(Post.objects.all())
    command.stdout.write(
        f"  forums: {ForumOrigin.objects.count()} forums, {added} demo topics added"
    )
