// Only a capability change has a dimension: show the field only then.
(function () {
  var type = document.querySelector("select[name='type']");
  var dimension = document.querySelector("select[name='capability_dimension']");
  if (!type || !dimension) return;
  var wrapper = dimension.closest("[id^='div_id_']") || dimension.parentElement;
  function sync(event) {
    // On load, a field with an error stays in view so that its message can be read.
    var shown = type.value === "capability_change" || (!event && dimension.classList.contains("is-invalid"));
    if (!shown) dimension.value = "";
    wrapper.hidden = !shown;
  }
  type.addEventListener("change", sync);
  sync();
})();
