// The dashboard's pages, in nav order. A page is a module whose default export is
// {id, title, render(root, context)}; render may return a function the shell calls when the
// user leaves the page (to stop timers). To add a page: write page-NAME.js, import it here,
// and list the file in DashboardAssets.swift (a test fails when a file is not listed).
import models from './page-models.js';
import metrics from './page-metrics.js';
import playground from './page-playground.js';
import assistant from './page-assistant.js';
import handoffs from './page-handoffs.js';
import feedback from './page-feedback.js';
import versions from './page-versions.js';
import recommend from './page-recommend.js';
import audit from './page-audit.js';
import users from './page-users.js';
import monitors from './page-monitors.js';
import runs from './page-runs.js';

export const pages = [models, metrics, playground, assistant, handoffs, feedback, versions, runs, recommend, monitors, audit, users];
