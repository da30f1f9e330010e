from django.db.models import F
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render, render_to_response
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ugettext as _
from django.views import generic

from .models import Choice, Question


class IndexView(generic.ListView):
    template_name = 'polls/index.html'
    context_object_name = 'latest_question_list'

    def get_queryset(self):
        """
        Return the last five published questions (not including those set to be
        published in the future).
        """
        return Question.objects.filter(
            pub_date__lte=timezone.now()
        ).order_by('-pub_date')[:5]


class DetailView(generic.DetailView):
    model = Question
    template_name = 'polls/detail.html'

    def get_queryset(self):
        """
        Excludes any questions that aren't published yet.
        """
        return Question.objects.filter(pub_date__lte=timezone.now())


def results(request, question_id):
    question = get_object_or_404(Question, pk=question_id, pub_date__lte=timezone.now())
    return render_to_response('polls/results.html', {
        'question': question,
        'choices': question.choice_set.order_by('-votes', 'choice_text'),
        'total_votes': question.total_votes(),
    })


def vote(request, question_id):
    question = get_object_or_404(Question, pk=question_id, pub_date__lte=timezone.now())
    try:
        selected_choice = question.choice_set.get(pk=request.POST['choice'])
    except (KeyError, ValueError, Choice.DoesNotExist):
        error_message = _("You didn't select a choice.")
        if request.is_ajax():
            return JsonResponse({'error': error_message}, status=400)
        # Redisplay the question voting form.
        return render(request, 'polls/detail.html', {
            'question': question,
            'error_message': error_message,
        })

    # Use an F() expression so that two simultaneous votes are both counted.
    selected_choice.votes = F('votes') + 1
    selected_choice.save()
    selected_choice.refresh_from_db()

    if request.is_ajax():
        # The voting widget updates the counts in place.
        return JsonResponse({
            'choice': selected_choice.pk,
            'votes': selected_choice.votes,
            'total_votes': question.total_votes(),
        })
    # Always return an HttpResponseRedirect after successfully dealing
    # with POST data. This prevents data from being posted twice if a
    # user hits the Back button.
    return HttpResponseRedirect(reverse('polls:results', args=(question.id,)))
