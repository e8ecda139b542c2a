export const id = 301;
export const ids = [301];
export const modules = {

/***/ 301:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   showFailedSteps: () => (/* binding */ showFailedSteps)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3426);
/* harmony import */ var _safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1452);


const MAX_STEPS = 3;
const MAX_LINES = 50;
const TIMEOUT_MS = 10_000;
const FAILED_STEP = new Set(['failure', 'error']);
/**
 * Prints the tail of each failed step's log in a collapsed group. Best effort: a build that failed
 * is the message; not being able to show why only earns a warning.
 */
async function showFailedSteps(api, org, repo, build, signal) {
    let steps;
    try {
        steps = await api.listSteps(org, repo, build.number, { timeoutMs: TIMEOUT_MS, signal });
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.warning(`Could not list the steps of build #${build.number}: ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error, 300)}`);
        return;
    }
    const failed = steps.filter((s) => FAILED_STEP.has(s.status ?? '')).sort((a, b) => a.number - b.number);
    for (const step of failed.slice(0, MAX_STEPS)) {
        const name = (0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(step.name ?? `step ${step.number}`, 100);
        const exit = step.exit_code ? `, exit code ${step.exit_code}` : '';
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.startGroup(`Step "${name}" ended in ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(step.status ?? '', 20)}${exit}: last lines of its log`);
        try {
            if (step.error)
                (0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .printUntrusted */ .Qi)([`error: ${step.error}`]);
            const log = await api.getStepLog(org, repo, build.number, step.number, {
                timeoutMs: TIMEOUT_MS,
                signal,
            });
            const lines = log.replace(/\n$/, '').split('\n');
            if (lines.length > MAX_LINES)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`(${lines.length - MAX_LINES} earlier lines not shown)`);
            (0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .printUntrusted */ .Qi)(lines.slice(-MAX_LINES));
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`No log to show: ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error, 300)}`);
        }
        finally {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.endGroup();
        }
    }
    if (failed.length > MAX_STEPS)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`${failed.length - MAX_STEPS} more failed steps are not shown`);
}


/***/ })

};
