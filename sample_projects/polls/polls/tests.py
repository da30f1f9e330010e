import datetime
import json

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from .models import Choice, Question


def create_question(question_text, days):
    """
    Create a question with the given `question_text` and published the
    given number of `days` offset to now (negative for questions published
    in the past, positive for questions that have yet to be published).
    """
    time = timezone.now() + datetime.timedelta(days=days)
    return Question.objects.create(question_text=question_text, pub_date=time)


class QuestionModelTests(TestCase):

    def test_was_published_recently_with_future_question(self):
        """
        was_published_recently() returns False for questions whose pub_date
        is in the future.
        """
        time = timezone.now() + datetime.timedelta(days=30)
        future_question = Question(pub_date=time)
        self.assertIs(future_question.was_published_recently(), False)

    def test_was_published_recently_with_old_question(self):
        """
        was_published_recently() returns False for questions whose pub_date
        is older than 1 day.
        """
        time = timezone.now() - datetime.timedelta(days=1, seconds=1)
        old_question = Question(pub_date=time)
        self.assertIs(old_question.was_published_recently(), False)

    def test_was_published_recently_with_recent_question(self):
        """
        was_published_recently() returns True for questions whose pub_date
        is within the last day.
        """
        time = timezone.now() - datetime.timedelta(hours=23, minutes=59, seconds=59)
        recent_question = Question(pub_date=time)
        self.assertIs(recent_question.was_published_recently(), True)

    def test_str_is_the_text(self):
        question = create_question("What's up?", days=-1)
        choice = question.choice_set.create(choice_text='Not much')
        self.assertEquals(str(question), "What's up?")
        self.assertEquals(str(choice), 'Not much')

    def test_total_votes(self):
        question = create_question('Best colour?', days=-1)
        question.choice_set.create(choice_text='Red', votes=2)
        question.choice_set.create(choice_text='Blue', votes=3)
        self.assertEquals(question.total_votes(), 5)

    def test_verbose_names_are_translatable_strings(self):
        self.assertEquals(str(Question._meta.verbose_name_plural), 'questions')
        self.assertEquals(str(Question._meta.get_field('pub_date').verbose_name), 'date published')


class QuestionIndexViewTests(TestCase):
    def test_no_questions(self):
        """
        If no questions exist, an appropriate message is displayed.
        """
        response = self.client.get(reverse('polls:index'))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No polls are available.")
        self.assertQuerysetEqual(response.context['latest_question_list'], [])

    def test_past_question(self):
        """
        Questions with a pub_date in the past are displayed on the
        index page.
        """
        create_question(question_text="Past question.", days=-30)
        response = self.client.get(reverse('polls:index'))
        self.assertQuerysetEqual(
            response.context['latest_question_list'],
            ['<Question: Past question.>']
        )

    def test_future_question(self):
        """
        Questions with a pub_date in the future aren't displayed on
        the index page.
        """
        create_question(question_text="Future question.", days=30)
        response = self.client.get(reverse('polls:index'))
        self.assertContains(response, "No polls are available.")
        self.assertQuerysetEqual(response.context['latest_question_list'], [])

    def test_future_question_and_past_question(self):
        """
        Even if both past and future questions exist, only past questions
        are displayed.
        """
        create_question(question_text="Past question.", days=-30)
        create_question(question_text="Future question.", days=30)
        response = self.client.get(reverse('polls:index'))
        self.assertQuerysetEqual(
            response.context['latest_question_list'],
            ['<Question: Past question.>']
        )

    def test_two_past_questions(self):
        """
        The questions index page may display multiple questions.
        """
        create_question(question_text="Past question 1.", days=-30)
        create_question(question_text="Past question 2.", days=-5)
        response = self.client.get(reverse('polls:index'))
        self.assertQuerysetEqual(
            response.context['latest_question_list'],
            ['<Question: Past question 2.>', '<Question: Past question 1.>']
        )

    def test_only_five_latest_questions(self):
        for days in range(1, 8):
            create_question(question_text='Question %d.' % days, days=-days)
        response = self.client.get(reverse('polls:index'))
        self.assertQuerysetEqual(
            response.context['latest_question_list'],
            ['Question 1.', 'Question 2.', 'Question 3.', 'Question 4.', 'Question 5.'],
            transform=lambda q: q.question_text,
        )
        self.assertContains(response, '5 latest polls.')

    def test_single_question_summary(self):
        """The length_is filter picks the singular summary."""
        create_question(question_text="Only one.", days=-1)
        response = self.client.get(reverse('polls:index'))
        self.assertContains(response, 'Just one poll so far.')
        self.assertNotContains(response, 'latest polls.')

    def test_page_links_stylesheet(self):
        """{% load staticfiles %} resolves the stylesheet through STATIC_URL."""
        response = self.client.get(reverse('polls:index'))
        self.assertContains(response, 'href="/static/polls/style.css"')
        self.assertContains(response, 'src="/static/polls/vote.js"')

    def test_site_root_redirects_to_index(self):
        response = self.client.get('/')
        self.assertRedirects(response, reverse('polls:index'))


class QuestionDetailViewTests(TestCase):
    def test_future_question(self):
        """
        The detail view of a question with a pub_date in the future
        returns a 404 not found.
        """
        future_question = create_question(question_text='Future question.', days=5)
        url = reverse('polls:detail', args=(future_question.id,))
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404)

    def test_past_question(self):
        """
        The detail view of a question with a pub_date in the past
        displays the question's text.
        """
        past_question = create_question(question_text='Past Question.', days=-5)
        url = reverse('polls:detail', args=(past_question.id,))
        response = self.client.get(url)
        self.assertContains(response, past_question.question_text)

    def test_lists_choices(self):
        question = create_question(question_text='Pick one', days=-1)
        question.choice_set.create(choice_text='Alpha')
        question.choice_set.create(choice_text='Beta')
        response = self.client.get(reverse('polls:detail', args=(question.id,)))
        self.assertContains(response, '<label for="choice1">Alpha</label>', html=True)
        self.assertContains(response, '<label for="choice2">Beta</label>', html=True)
        self.assertNotContains(response, 'This poll has no choices yet.')


class QuestionResultsViewTests(TestCase):
    def setUp(self):
        self.question = create_question(question_text='Tea or coffee?', days=-1)
        self.tea = self.question.choice_set.create(choice_text='Tea', votes=1)
        self.coffee = self.question.choice_set.create(choice_text='Coffee', votes=3)

    def test_results_pluralise_votes(self):
        """{% ifequal %} picks 'vote' for exactly one vote and 'votes' otherwise."""
        response = self.client.get(reverse('polls:results', args=(self.question.id,)))
        self.assertContains(response, 'Tea -- 1 vote</li>', html=False)
        self.assertContains(response, 'Coffee -- 3 votes')
        self.assertNotContains(response, 'Tea -- 1 votes')

    def test_results_sorted_and_leader_marked(self):
        """{% ifnotequal %} marks the leading choice, first in the list."""
        response = self.client.get(reverse('polls:results', args=(self.question.id,)))
        content = response.content.decode()
        self.assertLess(content.index('Coffee --'), content.index('Tea --'))
        self.assertEquals(content.count('(leading)'), 1)
        self.assertIn('Coffee -- 3 votes <em class="leader">(leading)</em>', content)

    def test_no_leader_without_votes(self):
        question = create_question(question_text='Nobody voted', days=-1)
        question.choice_set.create(choice_text='Lonely')
        response = self.client.get(reverse('polls:results', args=(question.id,)))
        self.assertContains(response, 'Lonely -- 0 votes')
        self.assertNotContains(response, '(leading)')
        self.assertContains(response, 'No votes yet.')

    def test_total(self):
        response = self.client.get(reverse('polls:results', args=(self.question.id,)))
        self.assertContains(response, '4 in total.')
        self.assertEquals(response.context['total_votes'], 4)

    def test_future_question_results_are_hidden(self):
        question = create_question(question_text='Later', days=2)
        response = self.client.get(reverse('polls:results', args=(question.id,)))
        self.assertEqual(response.status_code, 404)


class VoteViewTests(TestCase):
    def setUp(self):
        self.question = create_question(question_text='Cats or dogs?', days=-1)
        self.cats = self.question.choice_set.create(choice_text='Cats', votes=0)
        self.dogs = self.question.choice_set.create(choice_text='Dogs', votes=4)
        self.url = reverse('polls:vote', args=(self.question.id,))

    def test_vote_redirects_to_results(self):
        response = self.client.post(self.url, {'choice': self.cats.pk})
        self.assertRedirects(response, reverse('polls:results', args=(self.question.id,)))
        self.cats.refresh_from_db()
        self.assertEquals(self.cats.votes, 1)

    def test_vote_without_choice_redisplays_form(self):
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 200)
        # Django 3.0 escapes the apostrophe as &#x27; instead of &#39;: compare the context.
        self.assertEquals(response.context['error_message'], "You didn't select a choice.")
        self.assertContains(response, '<p class="error"><strong>You didn')
        self.assertTemplateUsed(response, 'polls/detail.html')

    def test_vote_for_unknown_choice(self):
        response = self.client.post(self.url, {'choice': 9999})
        # Django 3.0 escapes the apostrophe as &#x27; instead of &#39;: compare the context.
        self.assertEquals(response.context['error_message'], "You didn't select a choice.")
        self.assertContains(response, '<p class="error"><strong>You didn')
        self.assertQuerysetEqual(
            Choice.objects.order_by('choice_text'),
            ['<Choice: Cats>', '<Choice: Dogs>'],
        )
        self.assertEquals(sum(Choice.objects.values_list('votes', flat=True)), 4)

    def test_ajax_vote_returns_json(self):
        response = self.client.post(
            self.url, {'choice': self.dogs.pk}, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(response.status_code, 200)
        self.assertEquals(response['Content-Type'], 'application/json')
        self.assertEquals(
            json.loads(response.content.decode()),
            {'choice': self.dogs.pk, 'votes': 5, 'total_votes': 5},
        )

    def test_ajax_vote_without_choice_is_a_json_error(self):
        response = self.client.post(self.url, {}, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(response.status_code, 400)
        self.assertEquals(
            json.loads(response.content.decode()), {'error': "You didn't select a choice."})

    def test_plain_post_is_not_treated_as_ajax(self):
        response = self.client.post(self.url, {'choice': self.dogs.pk})
        self.assertEqual(response.status_code, 302)
        self.assertNotEqual(response.get('Content-Type'), 'application/json')

    def test_vote_on_future_question_is_404(self):
        question = create_question(question_text='Not yet', days=3)
        choice = question.choice_set.create(choice_text='Maybe')
        response = self.client.post(
            reverse('polls:vote', args=(question.id,)), {'choice': choice.pk})
        self.assertEqual(response.status_code, 404)


class QuestionAdminTests(TestCase):
    def setUp(self):
        from django.contrib.auth.models import User
        self.admin = User.objects.create_superuser('admin', 'admin@example.com', 'secret-pass')
        self.client.force_login(self.admin)

    def test_changelist_lists_questions(self):
        create_question(question_text='Admin visible?', days=-1)
        response = self.client.get(reverse('admin:polls_question_changelist'))
        self.assertContains(response, 'Admin visible?')

    def test_add_question_with_choices(self):
        now = timezone.now()
        response = self.client.post(reverse('admin:polls_question_add'), {
            'question_text': 'Added in admin',
            'pub_date_0': now.strftime('%Y-%m-%d'),
            'pub_date_1': now.strftime('%H:%M:%S'),
            'choice_set-TOTAL_FORMS': '3',
            'choice_set-INITIAL_FORMS': '0',
            'choice_set-MIN_NUM_FORMS': '0',
            'choice_set-MAX_NUM_FORMS': '1000',
            'choice_set-0-choice_text': 'Yes',
            'choice_set-0-votes': '0',
            'choice_set-1-choice_text': 'No',
            'choice_set-1-votes': '0',
            'choice_set-2-choice_text': '',
            'choice_set-2-votes': '0',
        })
        self.assertEqual(response.status_code, 302)
        question = Question.objects.get(question_text='Added in admin')
        self.assertQuerysetEqual(
            question.choice_set.order_by('choice_text'), ['<Choice: No>', '<Choice: Yes>'])
