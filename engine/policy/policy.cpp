#include "policy/policy.h"

#include <charconv>

#include "core/param_record.h"

namespace plansim {
namespace {

std::optional<int> parse_year_text(std::string_view text) {
  int value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

void PolicyProcess::add_handler(std::string action, InterventionParser parser) {
  for (auto& [name, p] : handlers_)
    if (name == action) {
      p = std::move(parser);
      return;
    }
  handlers_.emplace_back(std::move(action), std::move(parser));
}

std::vector<std::string> PolicyProcess::action_names() const {
  std::vector<std::string> names;
  for (const auto& [name, p] : handlers_) names.push_back(name);
  return names;
}

void PolicyProcess::configure(ConfigureContext& ctx) {
  interventions_.clear();
  const ParamNode* list = ctx.params.find("interventions");
  if (!list || list->is_null()) return;
  if (!list->is_sequence()) {
    ctx.diags.error(list->loc(), list->path() +
                                     ": expected a list of interventions, e.g. "
                                     "[{year: 2022, add_places: {...}}]");
    list->mark_all_used();
    return;
  }
  for (const ParamNode& item : list->items()) parse_item(item, ctx);
  // Rehearse the calendar, so that what depends on earlier interventions is checked here too.
  ModuleData plan;
  for (int year = ctx.run.start_year; year <= ctx.run.end_year; ++year)
    for (auto& s : interventions_) {
      if (year < s.schedule.first_year || year > s.schedule.last_year) continue;
      InterventionCheckContext cc{ctx, year, s.schedule, plan, ctx.diags};
      s.act->check(cc);
    }
}

void PolicyProcess::parse_item(const ParamNode& item, ConfigureContext& ctx) {
  Diagnostics& d = ctx.diags;
  if (!item.is_map()) {
    d.error(item.loc(), item.path() +
                            ": expected {year: Y, <action>: {...}} or {years: A-B, "
                            "<action>: {...}}");
    item.mark_all_used();
    return;
  }
  // When: `year: Y` or `years: A-B` / `[A, B]`.
  InterventionSchedule when;
  const ParamNode* year = item.find("year");
  const ParamNode* years = item.find("years");
  const ParamNode* when_node = year ? year : years;
  bool ok = true;
  if (year && years) {
    d.error(years->loc(), years->path() + ": give either year or years, not both");
    years->mark_all_used();
    ok = false;
  }
  if (!when_node) {
    d.error(item.loc(), item.path() + ": missing required key 'year' (or 'years: A-B')");
    ok = false;
  } else if (year) {
    const auto y = year->as_integer(d, 1900, 2200);
    ok &= y.has_value();
    when.first_year = when.last_year = static_cast<int>(y.value_or(0));
  } else if (years->is_sequence() && years->items().size() == 2) {
    const auto a = years->items()[0].as_integer(d, 1900, 2200);
    const auto b = years->items()[1].as_integer(d, 1900, 2200);
    ok &= a && b;
    when.first_year = static_cast<int>(a.value_or(0));
    when.last_year = static_cast<int>(b.value_or(0));
  } else if (years->is_scalar() && !years->quoted() &&
             years->text().find('-') != std::string::npos) {
    const std::string& t = years->text();
    const auto dash = t.find('-');
    const auto a = parse_year_text(t.substr(0, dash));
    const auto b = parse_year_text(t.substr(dash + 1));
    if (!a || !b) {
      d.error(years->loc(),
              years->path() + ": expected a year range like 2021-2025, got '" + t + "'");
      ok = false;
    }
    when.first_year = a.value_or(0);
    when.last_year = b.value_or(0);
  } else if (years->is_scalar()) {
    const auto y = years->as_integer(d, 1900, 2200);
    ok &= y.has_value();
    when.first_year = when.last_year = static_cast<int>(y.value_or(0));
  } else {
    d.error(years->loc(), years->path() + ": expected a year range like 2021-2025 or [2021, 2025]");
    years->mark_all_used();
    ok = false;
  }
  if (ok && when_node) {
    const std::string& p = when_node->path();
    if (when.last_year < when.first_year) {
      d.error(when_node->loc(), p + ": the range ends (" + std::to_string(when.last_year) +
                                    ") before it starts (" + std::to_string(when.first_year) + ")");
      ok = false;
    } else if (when.first_year < ctx.run.start_year) {
      d.error(when_node->loc(), p + ": " + std::to_string(when.first_year) +
                                    " is before run.start (" + std::to_string(ctx.run.start_year) +
                                    ")");
      ok = false;
    } else if (when.last_year > ctx.run.end_year) {
      d.error(when_node->loc(), p + ": " + std::to_string(when.last_year) + " is after run.end (" +
                                    std::to_string(ctx.run.end_year) + ")");
      ok = false;
    }
  }

  // What: exactly one action key.
  int actions = 0;
  const std::vector<std::string> known = action_names();
  for (const auto& entry : item.entries()) {
    if (entry.key == "year" || entry.key == "years") continue;
    const ParamNode* body = item.find(entry.key);
    const InterventionParser* parser = nullptr;
    for (const auto& [name, p] : handlers_)
      if (name == entry.key) parser = &p;
    if (!parser) {
      std::string message =
          item.path() + "." + entry.key + ": unknown intervention '" + entry.key + "'";
      const std::string hint = closest_match(entry.key, known);
      message += hint.empty() ? " (known: " : " (did you mean '" + hint + "'?; known: ";
      for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
      d.error(entry.key_loc, message + ")");
      body->mark_all_used();
      ok = false;
      continue;
    }
    if (++actions > 1) {
      d.error(entry.key_loc, item.path() + "." + entry.key +
                                 ": one action per intervention (write a second list item)");
      body->mark_all_used();
      ok = false;
      continue;
    }
    if (!body->is_map()) {
      d.error(body->loc(), body->path() + ": expected a map of the action's settings");
      body->mark_all_used();
      ok = false;
      continue;
    }
    InterventionParseContext pc{item, *body, entry.key, when, ctx.run, ctx, d};
    std::unique_ptr<InterventionAction> act = (*parser)(pc);
    if (ok && act) interventions_.push_back({item.path(), entry.key, when, std::move(act)});
  }
  // A describe pass (core/param_record.h) asks every action's settings, also those of actions
  // this item does not name, so that the reference lists every action.
  if (ParamRecorder* recorder = ParamRecorder::active()) {
    recorder->closed(item);
    for (const auto& [name, parser] : handlers_) {
      const ParamNode* stand_in = item.peek(name) ? nullptr : item.find(name);
      if (!stand_in) continue;
      Diagnostics ignored;
      InterventionParseContext pc{item, *stand_in, name, when, ctx.run, ctx, ignored};
      parser(pc);
    }
  }
  if (actions == 0 && ok) {
    std::string message = item.path() + ": no action (one of: ";
    for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
    d.error(item.loc(), message + ")");
  }
}

void PolicyProcess::initialize(StepContext&) {
  for (auto& s : interventions_) s.act->reset();
}

void PolicyProcess::step(StepContext& ctx) {
  for (auto& s : interventions_) {
    if (ctx.year < s.schedule.first_year || ctx.year > s.schedule.last_year) continue;
    InterventionContext ic{ctx.world, ctx.year, ctx.run.scale, s.schedule};
    s.act->apply(ic);
  }
}

}  // namespace plansim
