export const id = 648;
export const ids = [648];
export const modules = {

/***/ 2648:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   attachDeployment: () => (/* binding */ attachDeployment)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6520);
/* harmony import */ var _run_links_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8238);
/* harmony import */ var _shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1984);
/* harmony import */ var _vela_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1857);
/* harmony import */ var _vela_schemas_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8558);





/** How many of the newest stored deployments are searched when GET by number cannot answer it (v0.23–v0.25). */
const SEARCH_PAGE_SIZE = 100;
/**
 * Reads the existing deployment the `deployment` input names, and records it as a create would. The number is
 * GitHub's deployment id, as `number` and `build.deploy_number` carry it. GET …/:number answers it by that
 * number only since v0.26; v0.23–v0.25 look the number up as a database id (of any repository) and else answer
 * GitHub's copy, without `number`; v0.22 always answers GitHub's copy. So an answer is taken only when it names
 * the asked number; otherwise the stored deployments are searched, and GitHub's copy is the last resort.
 */
async function attachDeployment(api, record, number, signal, runtime) {
    const { org, repo } = record.settings;
    let answered;
    let refusal;
    try {
        answered = await api.getDeployment(org, repo, number, { signal });
    }
    catch (error) {
        // Vela answers a number GitHub does not know with 500 (GitHub's 404 inside), a missing row with 404.
        if (!(error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .VelaHttpError */ .tX) || (error.status !== 404 && error.status !== 500))
            throw error;
        refusal = error;
    }
    let deployment = answered?.number === number
        ? answered
        : (await api.listDeployments(org, repo, SEARCH_PAGE_SIZE, { signal })).find((d) => d.number === number);
    if (!deployment && answered && answered.number === undefined && (0,_vela_schemas_js__WEBPACK_IMPORTED_MODULE_4__/* .deploymentNumber */ .Rr)(answered) === number) {
        deployment = answered;
    }
    if (!deployment) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentNotFoundError */ .z7(`Input 'deployment': Vela has no deployment ${number} of ${org}/${repo}${refusal ? ` (it answered ${refusal.status}: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(refusal.said)})` : ''}; pass the number a create gave (the action's 'number' output)`, { cause: refusal });
    }
    const page = (0,_run_links_js__WEBPACK_IMPORTED_MODULE_1__/* .deploymentsPage */ .wL)(record.settings);
    runtime.log.info(`Following existing deployment ${number} of ${org}/${repo} (commit ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(deployment.commit ?? 'unknown', 'short')}, ref ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(deployment.ref ?? '')}, target ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(deployment.target ?? '')}); nothing is created${page ? `. Vela's deployments: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(page)}` : ''}`);
    record.deployment = deployment;
    record.deploymentJson = JSON.stringify(deployment);
    return deployment;
}


/***/ })

};
