export const id = 272;
export const ids = [272];
export const modules = {

/***/ 5272:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cancelAbandonedBuild: () => (/* binding */ cancelAbandonedBuild)
/* harmony export */ });
/* unused harmony export BUILD_CANCEL_TIMEOUT_MS */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6520);
/* harmony import */ var _shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1984);
/* harmony import */ var _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1857);
/* harmony import */ var _vela_statuses_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2456);




/**
 * How long the cancel request may take. After the job's cancel the runner kills the process 10 s after its
 * first signal, and the run reports what it knows at 8.5 s (src/runner/signals.ts), so the answer must come well before.
 */
const BUILD_CANCEL_TIMEOUT_MS = 5_000;
/**
 * For `cancel-build-on-abort`: when the wait stopped because the job was cancelled or `wait-timeout` passed,
 * cancels the build in Vela (only a pending or running build can be) and returns the error the run fails
 * with, now saying whether the build was cancelled or why not. Any other error is returned as it is.
 */
async function cancelAbandonedBuild(api, record, error, runtime) {
    if (!(error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc) && !(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .WaitTimeoutError */ .WL))
        return error;
    const outcome = await cancelBuild(api, record);
    if (record.build?.status === _vela_statuses_js__WEBPACK_IMPORTED_MODULE_3__/* .Status */ .nW.canceled)
        runtime.log.info(outcome);
    else
        runtime.log.warning(outcome);
    const message = `${error.message.replace(/\.$/, '')}. ${outcome}`;
    return error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc
        ? new _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc(message, { cause: error })
        : new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .WaitTimeoutError */ .WL(message, { cause: error });
}
/** Sends the cancel and says what came of it, in one sentence; records the build as Vela left it. */
async function cancelBuild(api, record) {
    const { build, settings } = record;
    if (!build) {
        return 'No build was cancelled: Vela had not created it yet, and may still start it for this deployment';
    }
    try {
        record.build = await api.cancelBuild(settings.org, settings.repo, build.number, {
            timeoutMs: BUILD_CANCEL_TIMEOUT_MS,
        });
        return `Build #${build.number} was cancelled in Vela`;
    }
    catch (error) {
        if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .VelaHttpError */ .tX && error.status === 400) {
            // Vela cancels only a pending or running build, and says which status it found.
            return `Vela did not cancel build #${build.number} (400: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(error.said)})`;
        }
        if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .VelaHttpError */ .tX && error.status === 401) {
            return `Vela refused to cancel build #${build.number} (401: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(error.said)}): cancelling needs write access to ${settings.org}/${settings.repo}`;
        }
        return `Could not cancel build #${build.number} in Vela: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error)}`;
    }
}


/***/ })

};
