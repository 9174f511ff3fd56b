"""machina's own messages that people see on the board, put in our catalogues.

machina's Arabic catalogue is about 5% translated. Its templates we override carry
their strings into locale/ themselves; these come from its Python code (form labels,
success messages) and from the templates we keep (profile, moderation pages). Listed
here so that `makemessages` extracts them into our catalogues; gettext then finds
them whichever app asks. Never imported: the strings only need to be in the source.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext

STRINGS = [
    # Posting forms (forum_conversation.forms, forum_polls, forum_attachments)
    _("Subject"),
    _("Enter your subject"),
    _("Message"),
    _("Enter your message"),
    _("Post topic as"),
    _("Default topic"),
    _("Update reason"),
    _("Comment"),
    _("Attachment"),
    _("Username"),
    _("Poll question"),
    _("Enter a question to associate a poll with the topic or leave blank to not create a poll."),
    _("Maximum number of poll options per user"),
    _("This is the number of options each user may select when voting."),
    _("For how many days the poll should be run?"),
    _("Enter 0 or leave blank for a never ending poll."),
    _("Allow re-voting?"),
    _("If enabled users are able to change their vote."),
    _("Hide results?"),
    _("If enabled results are hidden to everyone except topic creator."),
    _("You must set the maximum number of poll options per user when creating polls"),
    _("Enter a poll option"),
    _("You must specify an option when voting."),
    _("You have tried to vote for too many options."),
    _("Your vote has been cast."),
    # Messages after an action (views)
    _("This message will be validated before appearing on the forum."),
    _("There are some errors in the attachments you submitted."),
    _("This message has been posted successfully."),
    _("There are some errors in the poll options you submitted."),
    _("This message has been edited successfully."),
    _("This message has been deleted successfully."),
    _("The profile has been edited successfully."),
    _("You subscribed to this topic successfully."),
    _("You unsubscribed from this topic successfully."),
    _("Select a destination forum"),
    _("This topic has been locked successfully."),
    _("This topic has been unlocked successfully."),
    _("This topic has been deleted successfully."),
    _("This topic has been moved successfully."),
    _("This topic type has been changed successfully."),
    _("Would you want to change this topic to a default topic?"),
    _("Would you want to change this topic to a sticky topic?"),
    _("Would you want to change this topic to an announce?"),
    _("This post has been approved successfully."),
    _("This post has been disapproved successfully."),
    _("Forums have been marked read."),
    _("Topics have been marked read."),
    # Search form (forum_search.forms)
    _("Search only in topic subjects"),
    _("Search for poster"),
    _("Enter a user name to limit the search to a specific user."),
    _("Search in specific forums"),
    _("Select the forums you wish to search in."),
    _("Search for keywords"),
    _("Keywords or phrase"),
    _("Poster name"),
    # Profile
    _("Signature"),
    _("Total posts"),
    # Templates we keep: polls, profile, posts, moderation, read tracking
    _("You may select <b>1</b> option"),
    _("You may select up to <b>%(max_options)s</b> options"),
    _("Vote"),
    _("Change your vote"),
    _("Poll options"),
    _("Add a poll option"),
    _(
        "<b>Note:</b>&nbsp;Deleting poll options of an existing poll will delete the "
        "associated votes."
    ),
    _("View results"),
    _("Delete post"),
    _("Are you sure you want to delete this post?"),
    _("Yes, I'm sure"),
    _("No, take me back"),
    _("Go to the page:"),
    _("Posted by"),
    _("%(username)s profile"),
    _("Edit profile"),
    _("Recent posts"),
    _("View all"),
    _("On %(creation_date)s"),
    _("Edit forum profile"),
    _("Topics that you are subscribed to"),
    _("Not topics found."),
    _("My messages"),
    _("%(username)s's posts"),
    _("No posts found"),
    _('By: <a href="%(poster_url)s">%(username)s</a> on %(creation_date)s'),
    _("By: %(poster_username)s on %(creation_date)s"),
    _("Posts:"),
    _("Anonymous user"),
    _("Disapprove"),
    _("New post"),
    _("<b>1</b> option may be selected"),
    _("Up to <b>%(max_options)s</b> options may be selected"),
    _("%(topic_length)s posts found"),
    _("No posts awaiting approval."),
    _("Approve post"),
    _("Are you sure you want to approve this post?"),
    _("Disapprove post"),
    _("Are you sure you want to disapprove this post? This post will be deleted."),
    _("Are you sure you want to delete this topic?"),
    _("Are you sure you want to lock this topic?"),
    _("Are you sure you want to unlock this topic?"),
    _("Change topic type"),
    _("Are you sure you want to mark forums read?"),
    _("Are you sure you want to mark topics read?"),
    _("There are no unread topics."),
]


def _plurals(count):
    """Plural strings of machina's templates (extracted, never called)."""
    return [
        ngettext("%(counter)s topic found", "%(counter)s topics found", count),
        ngettext("%(counter)s post found", "%(counter)s posts found", count),
        ngettext(
            "%(topic_length)s unread topic found", "%(topic_length)s unread topics found", count
        ),
    ]
