// Submit votes in place: the vote view answers X-Requested-With requests with JSON.
(function () {
    var form = document.getElementById('vote-form');
    if (!form || !window.fetch) {
        return;
    }
    form.addEventListener('submit', function (event) {
        event.preventDefault();
        fetch(form.action, {
            method: 'POST',
            body: new FormData(form),
            headers: {'X-Requested-With': 'XMLHttpRequest'},
            credentials: 'same-origin'
        }).then(function (response) {
            return response.json();
        }).then(function (data) {
            if (data.error) {
                window.alert(data.error);
            } else {
                window.location = form.action.replace(/vote\/$/, 'results/');
            }
        });
    });
}());
