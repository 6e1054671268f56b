exports.onCreatePage = ({ page, actions }) => {
  actions.createPage({ ...page, context: { ...page.context, fromNodeOnlyPlugin: true } });
};
