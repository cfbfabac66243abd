/** The least a workflow can be: started, one workflow task, completed. The ceiling a server sets on starts+completions. */
export async function trivialWorkflow(): Promise<void> {}
