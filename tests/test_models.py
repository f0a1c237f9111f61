"""villagecon.analysis.models, the module that names every panel model in one place: each name is its home
module's.

The models' own tests are in test_panel.py, test_event_studies.py, test_logit.py and test_inference.py.
"""

from __future__ import annotations

from villagecon.analysis import event_studies, inference, logit, models, panel

HOMES = {
    event_studies: ["EVENT_STUDY_METHODS", "REGRESSION_COLUMNS", "event_study", "regression_table"],
    inference: ["BOOTSTRAP_DRAWS", "BOOTSTRAP_SEED", "FEW_CLUSTERS", "wild_cluster_bootstrap"],
    logit: ["REFERENCE_BACKGROUND", "average_marginal_effects", "threshold_logit"],
    panel: ["TIDY_COLUMNS", "tenure_effect"],
}


def test_models_names_each_model_of_its_home_module_and_nothing_else():
    assert models.tenure_effect is panel.tenure_effect
    assert sorted(models.__all__) == sorted(name for names in HOMES.values() for name in names)
    for home, names in HOMES.items():
        for name in names:
            assert name in home.__all__, f"{name} is not public in {home.__name__}"
            assert getattr(models, name) is getattr(home, name), f"models.{name} is not {home.__name__}.{name}"


def test_the_analysis_package_loads_exactly_these_names_on_first_use():
    # villagecon.analysis lists the models' names itself, so that importing it does not import statsmodels; no
    # submodule may carry a model's name, or the submodule would stand where the model is asked for.
    import villagecon.analysis as analysis

    assert sorted(analysis._MODELS) == sorted(models.__all__)
    assert all(getattr(analysis, name) is getattr(models, name) for name in models.__all__)
