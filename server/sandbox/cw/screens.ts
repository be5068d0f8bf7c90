// The ConnectWiseHostedApiScreen report: the seven screens of django-connectwise's fixture
// (reference/connectwise.md §1.2) plus AgreementDetail (8), in CW's column_definitions/row_values form.
export const hostedScreens = {
  column_definitions: [
    { Presenter_Identifier_Client_Api_RecID: { type: 'Numeric', isNullable: false, identityColumn: true } },
    { Client_Api_ID: { type: 'Text', isNullable: false, identityColumn: false } },
  ],
  row_values: [
    [1, 'CompanyDetail'],
    [2, 'ContactDetail'],
    [3, 'ConnectWiseToday'],
    [4, 'ServiceTicket'],
    [5, 'ProjectTicket'],
    [6, 'SalesOrderDetail'],
    [7, 'CompanyFinanceDetail'],
    [8, 'AgreementDetail'],
  ],
} as const;
