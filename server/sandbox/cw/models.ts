// Validation rules for the emulated resources, copied by hand from shared/reference/connectwise-models.json
// (required_per_openapi_2025_1, maxLength and enum; sources: pyconnectwise @5ea14c1d, ai-connor/connectwise
// @a3f48015). Copied, not imported, because shared/ is not part of the deployed tree.

export type ModelRules = {
  /** The `resource` named in CW's error bodies ("company object is invalid"). */
  resource: string;
  required: string[];
  maxLength: Record<string, number>;
  enums: Record<string, readonly string[]>;
};

const billOptions = ['Billable', 'DoNotBill', 'NoCharge', 'NoDefault'] as const;
const agreementStatus = ['Active', 'Cancelled', 'Expired', 'Inactive'] as const;

export const models = {
  company: {
    resource: 'company',
    required: ['identifier', 'name'],
    maxLength: {
      identifier: 30,
      name: 50,
      addressLine1: 50,
      addressLine2: 50,
      city: 50,
      state: 50,
      zip: 12,
      phoneNumber: 30,
      faxNumber: 30,
      website: 255,
    },
    enums: {},
  },
  contact: { resource: 'contact', required: [], maxLength: { firstName: 30, lastName: 30 }, enums: {} },
  catalogItem: {
    resource: 'catalogItem',
    required: ['identifier', 'description', 'subcategory', 'type', 'customerDescription'],
    maxLength: {
      identifier: 60,
      description: 60,
      customerDescription: 6000,
      integrationXRef: 50,
      manufacturerPartNumber: 50,
      vendorSku: 50,
    },
    enums: {
      billableOption: billOptions,
      priceAttribute: ['FixedFee', 'NotToExceed', 'OverrideRate', 'TimeAndMaterials'],
      productClass: ['Agreement', 'Bundle', 'Inventory', 'NonInventory', 'Service'],
    },
  },
  category: {
    resource: 'category',
    required: ['name'],
    maxLength: { name: 50, integrationXref: 50 },
    enums: {},
  },
  subCategory: {
    resource: 'subCategory',
    required: ['name', 'category'],
    maxLength: { name: 50, integrationXref: 50 },
    enums: {},
  },
  productType: { resource: 'productType', required: ['name'], maxLength: { name: 50 }, enums: {} },
  unitOfMeasure: { resource: 'unitOfMeasure', required: ['name'], maxLength: { name: 50 }, enums: {} },
  agreement: {
    resource: 'agreement',
    required: ['name', 'type', 'company', 'contact'],
    maxLength: { name: 100, customerPO: 50, reasonCancelled: 100, workOrder: 20 },
    enums: { agreementStatus, billTime: billOptions, billExpenses: billOptions, billProducts: billOptions },
  },
  addition: {
    resource: 'agreementAddition',
    required: ['product', 'billCustomer'],
    maxLength: { invoiceDescription: 6000, serialNumber: 50 },
    enums: { billCustomer: ['Billable', 'DoNotBill', 'NoCharge'], agreementStatus },
  },
  hostedSetup: {
    resource: 'connectWiseHostedSetup',
    required: ['screenId', 'description', 'url', 'type'],
    maxLength: {
      clientId: 36,
      description: 50,
      origin: 100,
      toolbarButtonText: 50,
      toolbarButtonToolTip: 50,
      url: 1024,
    },
    enums: { type: ['Tab', 'Pod', 'ToolbarButton'] },
  },
  menuEntry: {
    resource: 'menuEntry',
    required: ['menuLocation', 'caption', 'link', 'newWindowFlag'],
    maxLength: { caption: 50, clientId: 36, link: 2000, origin: 2000 },
    enums: {},
  },
  member: {
    resource: 'member',
    required: ['identifier', 'firstName', 'lastName', 'licenseClass'],
    maxLength: { identifier: 15, firstName: 30, lastName: 30, primaryEmail: 250, officeEmail: 250 },
    enums: { licenseClass: ['A', 'C', 'F', 'X'] },
  },
} satisfies Record<string, ModelRules>;

export type ValidationIssue = {
  code: 'NullValue' | 'InvalidField' | 'OutOfRange';
  message: string;
  resource: string;
  field: string;
};

/** CW-style messages (they read like .NET data annotations: "The field X must be …"). */
export function validate(rules: ModelRules, body: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { resource } = rules;
  for (const field of rules.required) {
    const v = body[field];
    if (v === undefined || v === null || v === '') {
      issues.push({ code: 'NullValue', message: `The ${field} field is required.`, resource, field });
    }
  }
  for (const [field, max] of Object.entries(rules.maxLength)) {
    const v = body[field];
    if (typeof v === 'string' && v.length > max) {
      issues.push({
        code: 'InvalidField',
        message: `The field ${field} must be a string with a maximum length of ${max}.`,
        resource,
        field,
      });
    }
  }
  for (const [field, allowed] of Object.entries(rules.enums)) {
    const v = body[field];
    if (v !== undefined && v !== null && !allowed.includes(String(v))) {
      issues.push({
        code: 'InvalidField',
        message: `The field ${field} must be one of: ${allowed.join(', ')}.`,
        resource,
        field,
      });
    }
  }
  return issues;
}
