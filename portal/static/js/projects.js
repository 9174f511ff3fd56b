// Activity form: show the days of the week only for a weekly activity, and the end
// date only for a repeated one. Without JavaScript every field stays visible.
(function () {
  "use strict";
  var frequency = document.getElementById("id_frequency");
  if (!frequency) return;
  var weekdays = document.getElementById("id_weekdays");
  var until = document.getElementById("id_repeat_until");
  function wrapper(element) {
    return element && element.closest(".form-field");
  }
  function update() {
    var value = frequency.value;
    var days = wrapper(weekdays);
    var end = wrapper(until);
    if (days) days.hidden = value !== "weekly";
    if (end) end.hidden = value === "none";
  }
  frequency.addEventListener("change", update);
  update();
})();
