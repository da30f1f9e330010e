import datetime

from django.db import models
from django.utils import six, timezone
from django.utils.encoding import python_2_unicode_compatible
from django.utils.translation import ugettext_lazy as _


@python_2_unicode_compatible
class Question(models.Model):
    question_text = models.CharField(_('question'), max_length=200)
    pub_date = models.DateTimeField(_('date published'))

    class Meta:
        verbose_name = _('question')
        verbose_name_plural = _('questions')
        index_together = [['pub_date', 'question_text']]

    def __str__(self):
        return six.text_type(self.question_text)

    def was_published_recently(self):
        now = timezone.now()
        return now - datetime.timedelta(days=1) <= self.pub_date <= now
    was_published_recently.admin_order_field = 'pub_date'
    was_published_recently.boolean = True
    was_published_recently.short_description = _('Published recently?')

    def total_votes(self):
        return sum(choice.votes for choice in self.choice_set.all())


@python_2_unicode_compatible
class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, verbose_name=_('question'))
    choice_text = models.CharField(_('choice'), max_length=200)
    votes = models.IntegerField(_('votes'), default=0)

    class Meta:
        verbose_name = _('choice')
        verbose_name_plural = _('choices')

    def __str__(self):
        return six.text_type(self.choice_text)
