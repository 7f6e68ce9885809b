package console

// queuePage is how many rows the console's lists show by default; the API
// keeps its default of 200. Either takes ?limit= up to workorder.MaxPage.
const queuePage = 50
